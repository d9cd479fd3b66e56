import {
	DiscordAPIError,
	type RawFile,
	type REST,
	RESTJSONErrorCodes,
	type RESTPatchAPIWebhookWithTokenMessageJSONBody,
	type RESTPostAPIChannelMessageJSONBody,
	Routes,
} from 'discord.js';
import type { Clock } from '../domain/clock.js';
import type { Job } from '../domain/job.js';
import { jobLogContext } from '../domain/job-log-context.js';
import type { Logger } from '../ops/logger.js';
import type { ChannelAccess } from './channel-access.js';

/** Leave room for a slow edit to land before Discord's 15-minute token death. */
const TOKEN_SAFETY_MARGIN_MS = 60_000;

const TOKEN_GONE_CODES = new Set<number>([RESTJSONErrorCodes.InvalidWebhookToken, RESTJSONErrorCodes.UnknownWebhook]);
const NO_ACCESS_CODES = new Set<number>([
	RESTJSONErrorCodes.MissingAccess,
	RESTJSONErrorCodes.MissingPermissions,
	RESTJSONErrorCodes.UnknownChannel,
]);

export interface PostedMessage {
	channelId: string;
	messageId: string;
}

export function discordErrorCode(error: unknown): number | undefined {
	return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

export function isTooLarge(error: unknown): boolean {
	return discordErrorCode(error) === RESTJSONErrorCodes.RequestEntityTooLarge;
}

/** Every message the bot sends about a job, and the fallbacks when Discord refuses one route. */
export class DiscordMessenger {
	constructor(
		private readonly rest: REST,
		private readonly access: ChannelAccess,
		private readonly logger: Logger,
		private readonly now: Clock = Date.now,
	) {}

	tokenUsable(job: Job): boolean {
		return job.interaction.expiresAt - this.now() > TOKEN_SAFETY_MARGIN_MS;
	}

	/** Edits the deferred reply; returns false when the reply can no longer be edited (token dead, message deleted). */
	async editInteractionReply(job: Job, body: RESTPatchAPIWebhookWithTokenMessageJSONBody): Promise<boolean> {
		if (!this.tokenUsable(job)) return false;
		const { applicationId, token } = job.interaction;
		try {
			await this.rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body, auth: false });
			return true;
		} catch (error) {
			const code = discordErrorCode(error);
			if (code !== undefined && (TOKEN_GONE_CODES.has(code) || code === RESTJSONErrorCodes.UnknownMessage)) {
				this.logger.info({ ...jobLogContext(job), code }, 'progress reply gone; using channel messages');
				return false;
			}
			throw error;
		}
	}

	canPostIn(channelId: string): boolean {
		return this.access.canPost(channelId);
	}

	canSendTextIn(channelId: string): boolean {
		return this.access.canSendText(channelId);
	}

	async createChannelMessage(
		channelId: string,
		body: RESTPostAPIChannelMessageJSONBody,
		files: RawFile[] = [],
	): Promise<PostedMessage> {
		const message = (await this.rest.post(Routes.channelMessages(channelId), { body, files })) as { id: string };
		return { channelId, messageId: message.id };
	}

	async editChannelMessage(channelId: string, messageId: string, body: RESTPatchAPIWebhookWithTokenMessageJSONBody) {
		await this.rest.patch(Routes.channelMessage(channelId, messageId), { body });
	}

	async deleteChannelMessage(channelId: string, messageId: string): Promise<void> {
		await this.rest.delete(Routes.channelMessage(channelId, messageId));
	}

	/** A followup through the interaction webhook needs no channel permission, while the token lives. */
	async createFollowup(job: Job, body: RESTPostAPIChannelMessageJSONBody, files: RawFile[]): Promise<PostedMessage> {
		const { applicationId, token } = job.interaction;
		const message = (await this.rest.post(Routes.webhook(applicationId, token), {
			body,
			files,
			auth: false,
			query: new URLSearchParams({ wait: 'true' }),
		})) as { id: string; channel_id: string };
		return { channelId: message.channel_id, messageId: message.id };
	}

	async openDm(userId: string): Promise<string> {
		const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
		return channel.id;
	}

	isTokenGone(error: unknown): boolean {
		const code = discordErrorCode(error);
		return code !== undefined && TOKEN_GONE_CODES.has(code);
	}

	isNoAccess(error: unknown): boolean {
		const code = discordErrorCode(error);
		return code !== undefined && NO_ACCESS_CODES.has(code);
	}
}
