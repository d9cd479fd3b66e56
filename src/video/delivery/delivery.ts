import { setTimeout as sleep } from 'node:timers/promises';
import type { RawFile } from 'discord.js';
import { type DiscordMessenger, isTooLarge, type PostedMessage } from '../../discord/messenger.js';
import type { Job, JobResult } from '../../domain/job.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import {
	DownloadFailedError,
	type DownloadSettings,
	DownloadTooLargeError,
	downloadWithCap,
} from '../inputs/download.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { forDirectMessage, renderResultMessage } from './result-message.js';

const DELIVERIES_IN_FLIGHT = 4;
const DOWNLOAD_ATTEMPTS = 3;

type Fetched = { kind: 'file'; bytes: Uint8Array } | { kind: 'link' };
type ResultBody = ReturnType<typeof renderResultMessage>;

/** Downloads a finished video at once (the provider's URL dies within a day) and posts it where it can. */
export class Delivery {
	constructor(
		private readonly messenger: DiscordMessenger,
		private readonly metrics: BotMetrics,
		private readonly logger: Logger,
		private readonly downloads: DownloadSettings,
	) {}

	/** Each delivery holds a whole video in memory (discord.js uploads from a buffer): a few at a time bounds the RSS. */
	readonly #inFlight = new ConcurrencyLimit(DELIVERIES_IN_FLIGHT);

	deliver(job: Job, videoUrl: string): Promise<JobResult> {
		return this.#inFlight.run(() => this.#deliver(job, videoUrl));
	}

	async #deliver(job: Job, videoUrl: string): Promise<JobResult> {
		const limitBytes = Math.min(job.interaction.attachmentSizeLimit, this.downloads.maxVideoBytes);
		const fetched = await this.#fetch(job, videoUrl, limitBytes);
		const linkBody = renderResultMessage(job, { kind: 'link', url: videoUrl, limitBytes });
		if (fetched.kind === 'file') {
			const files: RawFile[] = [{ name: `${job.id}.mp4`, data: fetched.bytes, contentType: 'video/mp4' }];
			try {
				const posted = await this.#post(job, renderResultMessage(job, { kind: 'file' }), files);
				return { providerUrl: videoUrl, ...(posted ? { posted } : {}), linkOnly: false };
			} catch (error) {
				if (!isTooLarge(error)) throw error;
				this.logger.info({ jobId: job.id, guildId: job.guildId }, 'Discord refused the upload as too large; linking');
			}
		}
		const posted = await this.#post(job, linkBody, []);
		return { providerUrl: videoUrl, ...(posted ? { posted } : {}), linkOnly: true };
	}

	async #fetch(job: Job, videoUrl: string, limitBytes: number): Promise<Fetched> {
		for (let attempt = 1; ; attempt++) {
			try {
				const bytes = await this.metrics.timeModelverse('download', () =>
					downloadWithCap(videoUrl, {
						maxBytes: limitBytes,
						timeoutMs: this.downloads.downloadTimeoutMs,
						dispatcher: this.downloads.dispatcher,
					}),
				);
				return { kind: 'file', bytes };
			} catch (error) {
				if (error instanceof DownloadTooLargeError) return { kind: 'link' };
				if (!(error instanceof DownloadFailedError) || attempt >= DOWNLOAD_ATTEMPTS) throw error;
				this.logger.warn({ jobId: job.id, attempt, status: error.status }, 'video download failed; retrying');
				await sleep(500 * 2 ** (attempt - 1));
			}
		}
	}

	/**
	 * The channel first; without access there, a followup while the token lives, then a DM. When Discord refuses
	 * them all, the video stays retrievable with `/video jobs` rather than being lost.
	 */
	async #post(job: Job, body: ResultBody, files: RawFile[]): Promise<PostedMessage | undefined> {
		const context = { jobId: job.id, guildId: job.guildId, channelId: job.channelId };
		if (this.messenger.canPostIn(job.channelId)) {
			try {
				return await this.messenger.createChannelMessage(job.channelId, body, files);
			} catch (error) {
				if (isTooLarge(error) || !this.messenger.isNoAccess(error)) throw error;
			}
		}
		this.logger.warn(context, 'cannot post in the channel; trying the member directly');
		const { nonce: _nonce, enforce_nonce: _enforceNonce, ...webhookBody } = body;
		if (this.messenger.tokenUsable(job)) {
			try {
				return await this.messenger.createFollowup(job, webhookBody, files);
			} catch (error) {
				if (isTooLarge(error) || !this.messenger.isTokenGone(error)) throw error;
			}
		}
		try {
			const dm = await this.messenger.openDm(job.userId);
			return await this.messenger.createChannelMessage(dm, forDirectMessage(job, body), files);
		} catch (error) {
			if (isTooLarge(error)) throw error;
			this.logger.warn({ ...context, err: error }, 'cannot DM the member either; the video stays in /video jobs');
			return undefined;
		}
	}
}
