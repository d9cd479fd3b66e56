import { RESTJSONErrorCodes } from 'discord.js';
import { type DiscordMessenger, discordErrorCode } from '../../discord/messenger.js';
import { JOB_STATES, type Job } from '../../domain/job.js';
import type { JobStore } from '../jobs/job-store.js';
import type { ProgressBody } from './progress-view.js';

/** Where a job's progress is shown: its interaction reply while the token lives, else a message the bot owns. */
export type ProgressPlace = 'reply' | 'channel';

export type SendOutcome =
	| { sent: true; progressMessageId?: string }
	| { sent: false; reason: 'reply-gone' | 'no-access' };

/** Puts one progress body where the job's progress is shown; throws when Discord did not take it. */
export class ProgressSender {
	constructor(
		private readonly messenger: DiscordMessenger,
		private readonly store: Pick<JobStore, 'update'>,
	) {}

	async send(job: Job, body: ProgressBody, place: ProgressPlace): Promise<SendOutcome> {
		if (place === 'reply') {
			const edited = await this.messenger.editInteractionReply(job, body);
			return edited ? { sent: true } : { sent: false, reason: 'reply-gone' };
		}
		if (!this.messenger.canPostIn(job.channelId)) return { sent: false, reason: 'no-access' };
		return { sent: true, progressMessageId: await this.#updateChannelMessage(job, body) };
	}

	async #updateChannelMessage(job: Job, replyBody: ProgressBody): Promise<string> {
		const body = { ...replyBody, content: `<@${job.userId}>`, allowed_mentions: { parse: [] } };
		if (job.progressMessageId) {
			try {
				await this.messenger.editChannelMessage(job.channelId, job.progressMessageId, body);
				return job.progressMessageId;
			} catch (error) {
				if (discordErrorCode(error) !== RESTJSONErrorCodes.UnknownMessage) throw error;
			}
		}
		const posted = await this.messenger.createChannelMessage(job.channelId, body);
		// Where progress is shown is not a step in the job's life: it is recorded whatever state the job is in.
		await this.store.update(job.id, JOB_STATES, () => ({ progressMessageId: posted.messageId }));
		return posted.messageId;
	}
}
