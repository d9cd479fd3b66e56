import { RESTJSONErrorCodes } from 'discord.js';
import type { EditThrottle } from '../../discord/edit-throttle.js';
import { type DiscordMessenger, discordErrorCode } from '../../discord/messenger.js';
import type { Clock } from '../../domain/clock.js';
import { isOpen, JOB_STATES, type Job } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { JobStore } from '../jobs/job-store.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import { type ProgressBody, renderProgress } from './progress-view.js';
import { SentFingerprints } from './sent-fingerprints.js';

/**
 * Keeps a job's progress message true. Progress is a courtesy: a failure here is logged and never stops the job.
 * While the interaction token lives it edits the deferred reply; after that, a message the bot owns in the channel.
 */
export class ProgressUpdater {
	readonly #lastSent: SentFingerprints;

	constructor(
		private readonly messenger: DiscordMessenger,
		private readonly throttle: EditThrottle,
		private readonly store: JobStore,
		private readonly estimates: RenderEstimates,
		private readonly metrics: BotMetrics,
		private readonly logger: Logger,
		now: Clock = Date.now,
	) {
		this.#lastSent = new SentFingerprints(now);
	}

	async expectedFinishAt(job: Job): Promise<number | undefined> {
		if (!job.submittedAt) return undefined;
		return (
			job.submittedAt + (await this.estimates.expectedSeconds(job.settings.resolution, job.settings.duration)) * 1000
		);
	}

	/** `final` edits wait for room instead of being skipped: the last word on a job must always land. */
	async update(job: Job, { final = false } = {}): Promise<void> {
		try {
			await this.#update(job, final);
		} finally {
			// Nothing more is sent about an ended job, whether its last edit landed or not.
			if (!isOpen(job)) this.#lastSent.forget(job.id);
		}
	}

	async #update(job: Job, final: boolean): Promise<void> {
		const body = renderProgress(job, await this.expectedFinishAt(job));
		const fingerprint = JSON.stringify(body);
		if (this.#lastSent.isUnchanged(job.id, fingerprint)) return;
		if (final) await this.throttle.acquireFinal(job.channelId);
		else if (!this.throttle.tryAcquire(job.channelId)) return;
		try {
			if (!job.progressMessageId && (await this.messenger.editInteractionReply(job, body))) {
				this.#lastSent.remember(job.id, fingerprint);
				return;
			}
			if (!this.messenger.canPostIn(job.channelId)) return;
			await this.#updateChannelMessage(job, body);
			this.#lastSent.remember(job.id, fingerprint);
		} catch (error) {
			this.metrics.discordEditFailed(discordErrorCode(error) ?? 'network');
			this.logger.warn({ err: error, ...jobLogContext(job) }, 'progress edit failed');
		}
	}

	async #updateChannelMessage(job: Job, replyBody: ProgressBody): Promise<void> {
		const body = { ...replyBody, content: `<@${job.userId}>`, allowed_mentions: { parse: [] } };
		if (job.progressMessageId) {
			try {
				await this.messenger.editChannelMessage(job.channelId, job.progressMessageId, body);
				return;
			} catch (error) {
				if (discordErrorCode(error) !== RESTJSONErrorCodes.UnknownMessage) throw error;
			}
		}
		const posted = await this.messenger.createChannelMessage(job.channelId, body);
		// Where progress is shown is not a step in the job's life: it is recorded whatever state the job is in.
		await this.store.update(job.id, JOB_STATES, () => ({ progressMessageId: posted.messageId }));
		job.progressMessageId = posted.messageId;
	}
}
