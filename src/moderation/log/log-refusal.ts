import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { LogStopReason } from '../moderation-settings.js';

/**
 * Whether Discord refused a post in a way that will not change by trying again: the bot may not post there (403:
 * Missing Access, Missing Permissions) or the channel is gone (404: Unknown Channel). Anything else (5xx, a timeout)
 * is taken as passing.
 */
export function logRefusalOf(error: unknown): LogStopReason | undefined {
	if (!(error instanceof DiscordAPIError)) return undefined;
	if (error.code === RESTJSONErrorCodes.UnknownChannel || error.status === 404) return 'unknown-channel';
	if (error.status === 403) return 'no-access';
	return undefined;
}
