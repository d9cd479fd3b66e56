import type { Clock } from '../domain/clock.js';

/**
 * Discord counts a route's limit per top-level resource in its path: a channel, a guild, or a webhook id + token (so
 * each interaction's webhook has its own). These name the two the bot writes messages through.
 */
export const channelBucket = (channelId: string) => `channel:${channelId}`;
export const webhookBucket = (webhookId: string, token: string) => `webhook:${webhookId}/${token}`;

/** The resource a request path counts against, in the same names; undefined for any other route. */
function bucketOfPath(path: string): string | undefined {
	const channel = /^\/channels\/(\d+)\/messages(?:\/|$)/.exec(path);
	if (channel?.[1]) return channelBucket(channel[1]);
	const webhook = /^\/webhooks\/(\d+)\/([^/?]+)/.exec(path);
	if (webhook?.[1] && webhook[2]) return webhookBucket(webhook[1], decodeURIComponent(webhook[2]));
	return undefined;
}

interface Room {
	remaining: number;
	resetAt: number;
}

interface HeaderReader {
	get(name: string): string | null;
}

/**
 * What Discord last said about each bucket the bot writes to (`X-RateLimit-Remaining`, `-Reset-After`), read from
 * every answer: Discord asks bots to read its limits, never to hard-code them. discord.js queues each of its own
 * requests by the same headers; this lets the bot decide whether an optional request (a progress edit) should wait.
 */
export class RateLimitBoard {
	readonly #rooms = new Map<string, Room>();
	#sweptAt: number;

	constructor(private readonly now: Clock = Date.now) {
		this.#sweptAt = now();
	}

	observe(url: string, headers: HeaderReader): void {
		const remaining = headers.get('x-ratelimit-remaining');
		const resetAfter = headers.get('x-ratelimit-reset-after');
		if (remaining === null || resetAfter === null) return;
		const bucket = bucketOfPath(new URL(url).pathname.replace(/^.*?\/v\d+(?=\/)/, ''));
		if (!bucket) return;
		const now = this.now();
		this.#rooms.set(bucket, { remaining: Number(remaining), resetAt: now + Number(resetAfter) * 1000 });
		this.#sweep(now);
	}

	/**
	 * How long to wait before a request in the bucket leaves at least `keep` requests for others; 0 when it may go
	 * now. A bucket Discord has said nothing about yet may always take one: its answer tells the rest.
	 */
	waitMs(bucket: string, keep = 0): number {
		const room = this.#rooms.get(bucket);
		if (!room) return 0;
		const untilReset = room.resetAt - this.now();
		return room.remaining > keep || untilReset <= 0 ? 0 : untilReset;
	}

	/** Buckets Discord's answers still say something about. */
	get trackedBuckets(): number {
		return this.#rooms.size;
	}

	/** Buckets whose window has reset say nothing any more: dropped, so every channel and token ever used is not kept. */
	#sweep(now: number): void {
		if (now - this.#sweptAt < 10_000) return;
		this.#sweptAt = now;
		for (const [bucket, room] of this.#rooms) if (room.resetAt <= now) this.#rooms.delete(bucket);
	}
}
