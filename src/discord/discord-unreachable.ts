import { DiscordAPIError } from 'discord.js';

/**
 * Discord did not take a request for reasons of its own (5xx after discord.js's own retries, a timeout, a dropped
 * connection, a 429 it kept answering): trying again later can work. An answer with a 4xx code is Discord's decision
 * about this request, and repeating it would get the same answer.
 */
export function isDiscordUnreachable(error: unknown): boolean {
	if (error instanceof DiscordAPIError) return error.status >= 500 || error.status === 429;
	return true;
}
