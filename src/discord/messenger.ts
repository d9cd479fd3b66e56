import {
	type APIMessage,
	DiscordAPIError,
	type RawFile,
	type REST,
	RESTJSONErrorCodes,
	type RESTPatchAPIWebhookWithTokenMessageJSONBody,
	type RESTPostAPIChannelMessageJSONBody,
	Routes,
	SnowflakeUtil,
} from 'discord.js';
import type { Clock } from '../domain/clock.js';
import type { Job } from '../domain/job.js';
import { jobLogContext } from '../domain/job-log-context.js';
import type { Logger } from '../ops/logger.js';
import type { ChannelAccess } from './channel-access.js';

/** Leave room for a slow edit to land before Discord's 15-minute token death. */
const TOKEN_SAFETY_MARGIN_MS = 60_000;
/** A video posted through the token must be uploaded and answered well before the token dies, or land nowhere. */
const FOLLOWUP_SAFETY_MARGIN_MS = 120_000;
/** Discord's largest page of a channel's history. */
const HISTORY_PAGE = 100;
/** How far back a search for an earlier post of a job reads, in pages: a busy channel's share of one job's life. */
const HISTORY_PAGES = 10;

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

/** A message found in a channel's history, and how many files it carries. */
interface FoundMessage extends PostedMessage {
	attachments: number;
}

export function discordErrorCode(error: unknown): number | undefined {
	return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

function carriesCustomId(message: APIMessage, customId: string): boolean {
	return (message.components ?? []).some(
		(row) => 'components' in row && row.components.some((part) => 'custom_id' in part && part.custom_id === customId),
	);
}

export function isTooLarge(error: unknown): boolean {
	return discordErrorCode(error) === RESTJSONErrorCodes.RequestEntityTooLarge;
}

/** Every message the bot sends about a job, and the fallbacks when Discord refuses one route. */
export class DiscordMessenger {
	/**
	 * @param rest the client's REST manager.
	 * @param postOnce one that never repeats a request by itself: Execute Webhook takes no nonce, so a follow-up
	 *   repeated after a lost answer would be a second message.
	 */
	constructor(
		private readonly rest: REST,
		private readonly postOnce: REST,
		private readonly access: ChannelAccess,
		private readonly logger: Logger,
		private readonly now: Clock = Date.now,
	) {}

	tokenUsable(job: Job): boolean {
		return job.interaction.expiresAt - this.now() > TOKEN_SAFETY_MARGIN_MS;
	}

	/** Whether a video may still go out as a follow-up, its upload included, before the token dies. */
	followupUsable(job: Job): boolean {
		return job.interaction.expiresAt - this.now() > FOLLOWUP_SAFETY_MARGIN_MS;
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

	/** `signal` abandons the post waiting in the route's queue or in flight; one abandoned in flight may have landed. */
	async createChannelMessage(
		channelId: string,
		body: RESTPostAPIChannelMessageJSONBody,
		files: RawFile[] = [],
		signal?: AbortSignal,
	): Promise<PostedMessage> {
		const message = (await this.rest.post(Routes.channelMessages(channelId), {
			body,
			files,
			...(signal ? { signal } : {}),
		})) as { id: string };
		return { channelId, messageId: message.id };
	}

	async editChannelMessage(channelId: string, messageId: string, body: RESTPatchAPIWebhookWithTokenMessageJSONBody) {
		await this.rest.patch(Routes.channelMessage(channelId, messageId), { body });
	}

	async deleteChannelMessage(channelId: string, messageId: string): Promise<void> {
		await this.rest.delete(Routes.channelMessage(channelId, messageId));
	}

	/**
	 * A followup through the interaction webhook: it counts against that webhook's own rate limit, not the channel's
	 * (which every job in a busy channel shares), and needs no channel permission, while the token lives.
	 */
	async createFollowup(
		job: Job,
		body: RESTPostAPIChannelMessageJSONBody,
		files: RawFile[],
		signal?: AbortSignal,
	): Promise<PostedMessage> {
		const { applicationId, token } = job.interaction;
		const message = (await this.postOnce.post(Routes.webhook(applicationId, token), {
			body,
			files,
			auth: false,
			query: new URLSearchParams({ wait: 'true' }),
			...(signal ? { signal } : {}),
		})) as { id: string; channel_id: string };
		return { channelId: message.channel_id, messageId: message.id };
	}

	/**
	 * The bot's message in the channel since `since` that carries a component with `customId`, if any: how a post
	 * whose answer was lost is found rather than made twice. Reads the most recent history Discord pages through.
	 */
	async findOwnMessage(channelId: string, since: number, customId: string): Promise<FoundMessage | undefined> {
		const me = this.access.botUserId();
		let after = SnowflakeUtil.generate({ timestamp: since, increment: 0n, workerId: 0n, processId: 0n }).toString();
		for (let page = 0; page < HISTORY_PAGES; page += 1) {
			const query = new URLSearchParams({ after, limit: String(HISTORY_PAGE) });
			const messages = (await this.rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
			const found = messages.find((message) => message.author.id === me && carriesCustomId(message, customId));
			if (found) return { channelId, messageId: found.id, attachments: found.attachments.length };
			if (messages.length < HISTORY_PAGE) return undefined;
			after = messages.reduce((newest, message) => (BigInt(message.id) > BigInt(newest) ? message.id : newest), after);
		}
		return undefined;
	}

	async openDm(userId: string): Promise<string> {
		const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
		return channel.id;
	}

	/** The interaction's webhook refuses the token: expired (50027, or a bare 401) or unknown. */
	isTokenGone(error: unknown): boolean {
		if (error instanceof DiscordAPIError && error.status === 401) return true;
		const code = discordErrorCode(error);
		return code !== undefined && TOKEN_GONE_CODES.has(code);
	}

	isNoAccess(error: unknown): boolean {
		const code = discordErrorCode(error);
		return code !== undefined && NO_ACCESS_CODES.has(code);
	}
}
