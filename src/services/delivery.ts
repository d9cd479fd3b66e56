import { setTimeout as sleep } from 'node:timers/promises';
import type { RawFile } from 'discord.js';
import type { Job, JobResult } from '../domain/job.js';
import type { Logger } from '../logger.js';
import { type DiscordMessenger, isTooLarge, type PostedMessage } from './discord-messenger.js';
import { DownloadFailedError, DownloadTooLargeError, downloadWithCap } from './inputs/download.js';
import { renderResultMessage } from './result-message.js';

export interface DeliveryOptions {
	downloadTimeoutMs: number;
	maxVideoBytes: number;
	downloadAttempts?: number;
}

type Fetched = { kind: 'file'; bytes: Uint8Array } | { kind: 'link' };

/** Downloads a finished video at once (the provider's URL dies within a day) and posts it where it can. */
export class Delivery {
	constructor(
		private readonly messenger: DiscordMessenger,
		private readonly logger: Logger,
		private readonly options: DeliveryOptions,
	) {}

	async deliver(job: Job, videoUrl: string): Promise<JobResult> {
		const limitBytes = Math.min(job.interaction.attachmentSizeLimit, this.options.maxVideoBytes);
		const fetched = await this.#fetch(job, videoUrl, limitBytes);
		let posted: PostedMessage | undefined;
		let linkOnly = fetched.kind === 'link';
		if (fetched.kind === 'file') {
			const files: RawFile[] = [{ name: `${job.id}.mp4`, data: fetched.bytes, contentType: 'video/mp4' }];
			try {
				posted = await this.#post(job, renderResultMessage(job, { kind: 'file' }), files);
			} catch (error) {
				if (!isTooLarge(error)) throw error;
				this.logger.info({ jobId: job.id, guildId: job.guildId }, 'Discord refused the upload as too large; linking');
				linkOnly = true;
			}
		}
		posted ??= await this.#post(job, renderResultMessage(job, { kind: 'link', url: videoUrl, limitBytes }), []);
		return { providerUrl: videoUrl, channelId: posted.channelId, messageId: posted.messageId, linkOnly };
	}

	async #fetch(job: Job, videoUrl: string, limitBytes: number): Promise<Fetched> {
		const attempts = this.options.downloadAttempts ?? 3;
		for (let attempt = 1; ; attempt++) {
			try {
				const bytes = await downloadWithCap(videoUrl, {
					maxBytes: limitBytes,
					timeoutMs: this.options.downloadTimeoutMs,
				});
				return { kind: 'file', bytes };
			} catch (error) {
				if (error instanceof DownloadTooLargeError) return { kind: 'link' };
				if (!(error instanceof DownloadFailedError) || attempt >= attempts) throw error;
				this.logger.warn({ jobId: job.id, attempt, status: error.status }, 'video download failed; retrying');
				await sleep(1_000 * 2 ** (attempt - 1));
			}
		}
	}

	/** The channel first; without access there, a followup while the token lives, then a DM. */
	async #post(job: Job, body: ReturnType<typeof renderResultMessage>, files: RawFile[]): Promise<PostedMessage> {
		try {
			return await this.messenger.createChannelMessage(job.channelId, body, files);
		} catch (error) {
			if (!this.messenger.isNoAccess(error)) throw error;
			this.logger.warn({ jobId: job.id, guildId: job.guildId, channelId: job.channelId }, 'cannot post in channel');
		}
		const { nonce: _nonce, enforce_nonce: _enforce, ...webhookBody } = body;
		if (this.messenger.tokenUsable(job)) return this.messenger.createFollowup(job, webhookBody, files);
		const dmChannelId = await this.messenger.openDm(job.userId);
		return this.messenger.createChannelMessage(dmChannelId, body, files);
	}
}
