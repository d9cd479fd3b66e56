import { createHash } from 'node:crypto';
import { RateLimitError, rateLimitHeaders } from './discord-errors.js';
import type { PathParams } from './route-template.js';

interface BucketLimit {
	/** Requests per window. */
	limit: number;
	windowMs: number;
}

/**
 * Discord counts a route's limit per top-level resource in its path: a channel, a guild, or a webhook (id + token,
 * so each interaction's webhook has its own). Discord does not publish the numbers; these are what bots observe.
 */
export interface DiscordRateLimits {
	/** Creating, editing and deleting messages in one channel (`/channels/{channel_id}/messages…`). */
	channelMessages: BucketLimit;
	/** Everything through one webhook id + token: an interaction's follow-ups and the edits of its messages. */
	webhook: BucketLimit;
	/** Routes under one guild (`/guilds/{guild_id}…`). */
	guild: BucketLimit;
}

export const OBSERVED_DISCORD_LIMITS: DiscordRateLimits = {
	channelMessages: { limit: 5, windowMs: 5_000 },
	webhook: { limit: 5, windowMs: 5_000 },
	guild: { limit: 10, windowMs: 10_000 },
};

interface Window {
	count: number;
	resetAt: number;
	/** A 429 was answered in this window: anything sent after it, before the reset, ignored it. */
	refused: boolean;
}

interface BucketOf {
	name: keyof DiscordRateLimits;
	resource: string;
}

const CHANNEL_MESSAGE_WRITES = new Set(['POST', 'PATCH', 'DELETE']);

/** Which limit a request counts against, and on which resource; undefined for routes the stand-in does not limit. */
function bucketOf(method: string, template: string, params: PathParams): BucketOf | undefined {
	if (template.startsWith('/channels/{channel_id}/messages') && CHANNEL_MESSAGE_WRITES.has(method)) {
		return { name: 'channelMessages', resource: params.channel_id ?? '' };
	}
	if (template.startsWith('/webhooks/{webhook_id}/{webhook_token}')) {
		return { name: 'webhook', resource: `${params.webhook_id ?? ''}/${params.webhook_token ?? ''}` };
	}
	if (template.startsWith('/guilds/{guild_id}')) return { name: 'guild', resource: params.guild_id ?? '' };
	return undefined;
}

const bucketHash = (name: string) => createHash('sha1').update(`bucket ${name}`).digest('hex').slice(0, 16);

/**
 * Fixed windows per bucket and resource, as Discord counts them: the first request opens a window, the limit refills
 * when it resets. Every answer carries the bucket's headers; a request beyond the limit is answered 429.
 */
export class RateLimitBuckets {
	readonly #windows = new Map<string, Window>();
	#sweptAt = 0;

	constructor(
		private readonly limits: DiscordRateLimits,
		private readonly now: () => number,
	) {}

	/** Counts the request and returns the headers of its answer, or throws the 429 Discord answers beyond the limit. */
	take(method: string, template: string, params: PathParams): Record<string, string> {
		const bucket = bucketOf(method, template, params);
		if (!bucket) return {};
		const { limit, windowMs } = this.limits[bucket.name];
		const now = this.now();
		this.#sweep(now);
		const key = `${bucket.name} ${bucket.resource}`;
		let window = this.#windows.get(key);
		if (!window || now >= window.resetAt) {
			window = { count: 0, resetAt: now + windowMs, refused: false };
			this.#windows.set(key, window);
		}
		const resetAfterSeconds = Math.max(window.resetAt - now, 1) / 1000;
		const hash = bucketHash(bucket.name);
		if (window.count >= limit) {
			const ignoredRunningLimit = window.refused;
			window.refused = true;
			throw new RateLimitError({
				retryAfterSeconds: resetAfterSeconds,
				global: false,
				bucket: hash,
				limit,
				ignoredRunningLimit,
			});
		}
		window.count += 1;
		return rateLimitHeaders({ bucket: hash, limit, remaining: limit - window.count, resetAfterSeconds });
	}

	/** Windows that have reset are forgotten, so a stand-in serving many channels and tokens stays small. */
	#sweep(now: number): void {
		if (now - this.#sweptAt < 10_000) return;
		this.#sweptAt = now;
		for (const [key, window] of this.#windows) if (now >= window.resetAt) this.#windows.delete(key);
	}
}
