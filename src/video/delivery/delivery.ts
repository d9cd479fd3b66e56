import type { RawFile } from 'discord.js';
import { isDiscordUnreachable } from '../../discord/discord-unreachable.js';
import { type DiscordMessenger, isTooLarge, type PostedMessage } from '../../discord/messenger.js';
import type { Job, JobResult } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import { resultCustomId } from '../custom-ids.js';
import { type DownloadSettings, DownloadTooLargeError, downloadWithCap } from '../inputs/download.js';
import type { LeaseFence } from '../ownership/lease-fence.js';
import { KeptDownloads } from './kept-downloads.js';
import { forDirectMessage, renderResultMessage } from './result-message.js';

/** Room for a handful of videos waiting out a Discord outage; beyond it they are downloaded again when posted. */
const KEPT_DOWNLOAD_BYTES = 128 * 1024 * 1024;

export interface DeliveryDeps {
	messenger: DiscordMessenger;
	metrics: BotMetrics;
	logger: Logger;
	downloads: DownloadSettings;
	/** Each post is made only under this process's lease: the download before it can outlast the lease. */
	/** With several processes: posts only while this process's hold on the job will outlive them. */
	fence?: Pick<LeaseFence, 'postSignal'>;
}

type Fetched = { kind: 'file'; bytes: Uint8Array } | { kind: 'link' };
type ResultBody = ReturnType<typeof renderResultMessage>;

export interface DeliveryTry {
	/** An earlier try (in this process or before a restart) may have posted the video with its answer lost. */
	mayHavePosted: boolean;
}

/**
 * One try at getting a finished video to the member: download it (once, while the process lives), then post it where
 * Discord lets the bot. Throws when it should be tried again later (the download failed, Discord unreachable).
 */
export class Delivery {
	readonly #kept = new KeptDownloads(KEPT_DOWNLOAD_BYTES);

	constructor(private readonly deps: DeliveryDeps) {}

	async deliver(job: Job, result: JobResult, attempt: DeliveryTry): Promise<JobResult> {
		const { logger } = this.deps;
		const context = jobLogContext(job);
		if (attempt.mayHavePosted) {
			const earlier = await this.#findEarlierPost(job);
			if (earlier) {
				logger.info({ ...context, ...earlier }, 'found the video already posted by an earlier try; not posting again');
				return { ...result, posted: earlier.posted, linkOnly: earlier.linkOnly };
			}
		}
		const limitBytes = Math.min(job.interaction.attachmentSizeLimit, this.deps.downloads.maxVideoBytes);
		const fetched = await this.#fetch(job, result.providerUrl, limitBytes);
		let refused = false;
		if (fetched.kind === 'file') {
			const files: RawFile[] = [{ name: `${job.id}.mp4`, data: fetched.bytes, contentType: 'video/mp4' }];
			try {
				const posted = await this.#post(job, renderResultMessage(job, { kind: 'file' }), files);
				this.#kept.forget(job.id);
				return { ...result, ...(posted ? { posted } : {}), linkOnly: false };
			} catch (error) {
				if (isDiscordUnreachable(error)) throw error;
				this.#kept.forget(job.id);
				refused = !isTooLarge(error);
				if (refused) logger.warn({ ...context, err: error }, 'Discord refused the upload; posting a link');
				else logger.info(context, 'Discord refused the upload as too large; linking');
			}
		}
		const linkBody = renderResultMessage(job, { kind: 'link', url: result.providerUrl, limitBytes, refused });
		const posted = await this.#postLink(job, linkBody);
		return { ...result, ...(posted ? { posted } : {}), linkOnly: true, ...(refused ? { uploadRefused: true } : {}) };
	}

	/** The job no longer needs its video in memory: delivered, or given up. */
	forget(jobId: string): void {
		this.#kept.forget(jobId);
	}

	async #fetch(job: Job, videoUrl: string, limitBytes: number): Promise<Fetched> {
		const kept = this.#kept.get(job.id);
		if (kept) return { kind: 'file', bytes: kept };
		const { metrics, downloads } = this.deps;
		try {
			const bytes = await metrics.timeModelverse('download', () =>
				downloadWithCap(videoUrl, {
					maxBytes: limitBytes,
					timeoutMs: downloads.downloadTimeoutMs,
					dispatcher: downloads.dispatcher,
				}),
			);
			this.#kept.keep(job.id, bytes);
			return { kind: 'file', bytes };
		} catch (error) {
			if (error instanceof DownloadTooLargeError) return { kind: 'link' };
			throw error;
		}
	}

	/**
	 * A follow-up carries no nonce, so after a try whose answer never came the channel's history is the only record of
	 * whether it landed. A history the bot may not read is searched no further: the video is posted (at worst twice).
	 */
	async #findEarlierPost(job: Job): Promise<{ posted: PostedMessage; linkOnly: boolean } | undefined> {
		const { messenger, logger } = this.deps;
		try {
			const found = await messenger.findOwnMessage(job.channelId, job.createdAt, resultCustomId('delete', job.id));
			if (!found) return undefined;
			const { attachments, ...posted } = found;
			return { posted, linkOnly: attachments === 0 };
		} catch (error) {
			if (!messenger.isNoAccess(error)) throw error;
			logger.warn({ ...jobLogContext(job), err: error }, 'cannot read the channel for an earlier post; posting');
			return undefined;
		}
	}

	/** When Discord refuses even the link, the video stays retrievable with `/video jobs`. */
	async #postLink(job: Job, body: ResultBody): Promise<PostedMessage | undefined> {
		try {
			return await this.#post(job, body, []);
		} catch (error) {
			if (isDiscordUnreachable(error)) throw error;
			this.deps.logger.warn(
				{ ...jobLogContext(job), err: error },
				'Discord refused the link too; the video stays in /video jobs',
			);
			return undefined;
		}
	}

	/**
	 * A follow-up while the token has time left: it draws on the interaction's own rate limit, so the videos of a busy
	 * channel do not queue behind each other at the channel's five posts per five seconds. Then the channel, then a
	 * DM. When Discord refuses them all, the video stays retrievable with `/video jobs` rather than being lost.
	 */
	async #post(job: Job, body: ResultBody, files: RawFile[]): Promise<PostedMessage | undefined> {
		const { messenger, logger, fence } = this.deps;
		const context = { ...jobLogContext(job), channelId: job.channelId };
		// A lease too short for a post, or a post abandoned as the lease ends, is no refusal to fall back from: neither is
		// an answer from Discord, which every catch here and in the callers rethrows, so the queue tries again later.
		if (messenger.followupUsable(job)) {
			const { nonce: _nonce, enforce_nonce: _enforceNonce, ...webhookBody } = body;
			const signal = fence?.postSignal(job.id);
			try {
				return await messenger.createFollowup(job, webhookBody, files, signal);
			} catch (error) {
				if (!messenger.isTokenGone(error)) throw error;
				logger.info(context, 'the interaction token was refused; posting the video as a channel message');
			}
		}
		if (messenger.canPostIn(job.channelId)) {
			const signal = fence?.postSignal(job.id);
			try {
				return await messenger.createChannelMessage(job.channelId, body, files, signal);
			} catch (error) {
				if (!messenger.isNoAccess(error)) throw error;
			}
		}
		logger.warn(context, 'cannot post in the channel; trying the member directly');
		const signal = fence?.postSignal(job.id);
		try {
			const dm = await messenger.openDm(job.userId);
			return await messenger.createChannelMessage(dm, forDirectMessage(job, body), files, signal);
		} catch (error) {
			if (isTooLarge(error) || isDiscordUnreachable(error)) throw error;
			logger.warn({ ...context, err: error }, 'cannot DM the member either; the video stays in /video jobs');
			return undefined;
		}
	}
}
