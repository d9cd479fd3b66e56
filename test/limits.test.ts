import { describe, expect, it } from 'vitest';
import { channelBucket, RateLimitBoard, webhookBucket } from '../src/discord/rate-limit-board.js';
import { ConcurrencyLimit } from '../src/video/delivery/concurrency-limit.js';

const API = 'http://discord.invalid/api/v10';

function answer(remaining: number, resetAfterSeconds: number): Headers {
	return new Headers({
		'x-ratelimit-limit': '5',
		'x-ratelimit-remaining': String(remaining),
		'x-ratelimit-reset-after': resetAfterSeconds.toFixed(3),
	});
}

describe('the room Discord says each bucket has', () => {
	it('lets a bucket it knows nothing of take one, then waits as Discord’s answer says', () => {
		let now = 0;
		const board = new RateLimitBoard(() => now);
		const reply = webhookBucket('100000000000000001', 'token-a');
		expect(board.waitMs(reply)).toBe(0);

		board.observe(`${API}/webhooks/100000000000000001/token-a/messages/%40original`, answer(0, 2));

		expect(board.waitMs(reply)).toBe(2_000);
		expect(board.waitMs(webhookBucket('100000000000000001', 'token-b'))).toBe(0);
		now = 2_000;
		expect(board.waitMs(reply)).toBe(0);
	});

	it('counts a channel’s creates and edits as one bucket, and can keep requests for others', () => {
		let now = 0;
		const board = new RateLimitBoard(() => now);
		const channel = channelBucket('200000000000000001');
		board.observe(`${API}/channels/200000000000000001/messages`, answer(3, 5));
		expect(board.waitMs(channel, 1)).toBe(0);

		board.observe(`${API}/channels/200000000000000001/messages/200000000000000009`, answer(1, 4));

		expect(board.waitMs(channel)).toBe(0);
		expect(board.waitMs(channel, 1)).toBe(4_000);
		now = 1_000;
		expect(board.waitMs(channel, 1)).toBe(3_000);
	});

	it('ignores answers without rate-limit headers and routes that are not message writes', () => {
		const board = new RateLimitBoard(() => 0);
		board.observe(`${API}/channels/200000000000000001/messages`, new Headers());
		board.observe(`${API}/users/@me/channels`, answer(0, 5));
		expect(board.trackedBuckets).toBe(0);
	});
});

describe('deliveries in flight', () => {
	it('runs at most the limit at once and the rest in arrival order', async () => {
		const limit = new ConcurrencyLimit(2);
		let running = 0;
		let most = 0;
		const order: number[] = [];
		const releases: Array<() => void> = [];
		const tasks = [0, 1, 2, 3].map((index) =>
			limit.run(async () => {
				running++;
				most = Math.max(most, running);
				order.push(index);
				await new Promise<void>((resolve) => releases.push(resolve));
				running--;
			}),
		);
		while (order.length < 4) {
			await new Promise((resolve) => setImmediate(resolve));
			releases.shift()?.();
		}
		for (const release of releases) release();
		await Promise.all(tasks);
		expect(most).toBe(2);
		expect(order).toEqual([0, 1, 2, 3]);
	});
});
