import { describe, expect, it } from 'vitest';
import { EditThrottle } from '../src/discord/edit-throttle.js';
import { ConcurrencyLimit } from '../src/video/delivery/concurrency-limit.js';

describe('edits per channel', () => {
	it('skips progress edits beyond their share, and lets final edits take the room left', async () => {
		let now = 0;
		const throttle = new EditThrottle(4, 5_000, () => now);
		const progress = Array.from({ length: 6 }, () => throttle.tryAcquire('channel'));
		expect(progress).toEqual([true, true, true, true, false, false]);
		await throttle.acquireFinal('channel');
		expect(throttle.tryAcquire('other channel')).toBe(true);
		now = 5_000;
		expect(throttle.tryAcquire('channel')).toBe(true);
	});

	it('makes a final edit wait for room instead of drawing a 429', async () => {
		let now = 0;
		const throttle = new EditThrottle(4, 20, () => now);
		for (let i = 0; i < 5; i++) await throttle.acquireFinal('channel');
		let landed = false;
		const waiting = throttle.acquireFinal('channel').then(() => {
			landed = true;
		});
		await Promise.resolve();
		expect(landed).toBe(false);
		now = 20;
		await waiting;
		expect(landed).toBe(true);
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
