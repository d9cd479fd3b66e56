import { describe, expect, it } from 'vitest';
import { botUserIdOf } from '../src/discord/bot-user-id.js';
import { ownerIdOf } from '../src/domain/owner-id.js';
import { LeaseFence, postWindowMs } from '../src/video/ownership/lease-fence.js';

describe('which process owns a job', () => {
	it('is named after the shards it runs, the same whatever order they were given in', () => {
		expect(ownerIdOf(0)).toBe('shards-0');
		expect(ownerIdOf([0])).toBe('shards-0');
		expect(ownerIdOf([3, 1])).toBe('shards-1-3');
		expect(ownerIdOf('auto')).toBe('shards-all');
	});

	it('posts only while its lock on the job outlives the post, its last tenth kept clear; renewed every third, it always may', () => {
		const lease = 30_000;
		const now = 100_000;
		expect(postWindowMs(now + lease, now, lease)).toBe(27_000);
		// Just before a renewal that is late by a few seconds.
		expect(postWindowMs(now + (lease * 2) / 3 - 3_000, now, lease)).toBe(14_000);
		expect(postWindowMs(now + 9_000, now, lease)).toBe(6_000);
		expect(postWindowMs(now + 8_999, now, lease)).toBeUndefined();
		expect(postWindowMs(now, now, lease)).toBeUndefined();
		expect(postWindowMs(0, now, lease)).toBeUndefined();
	});

	it('posts nothing of a job it no longer holds, and abandons a post before its lock could lapse', () => {
		const lease = 30_000;
		const held = new Map([['held', 100_000 + lease]]);
		const fence = new LeaseFence({ heldUntil: (jobId) => held.get(jobId), leaseMs: lease, now: () => 100_000 });
		expect(() => fence.postSignal('released')).toThrow('no longer holds');
		expect(fence.postSignal('held').aborted).toBe(false);
		held.set('held', 100_000 + 8_000);
		expect(() => fence.postSignal('held')).toThrow('could lapse');
	});
});

describe('which queue holds the open jobs', () => {
	it("is the bot's own, named by the user id its token starts with; a token of another shape gets none", () => {
		const id = '1234567890123456789';
		expect(botUserIdOf(`${Buffer.from(id).toString('base64')}.GhIjKl.signature`)).toBe(id);
		expect(botUserIdOf(`${Buffer.from(id).toString('base64url').replace(/=+$/, '')}.x.y`)).toBe(id);
		expect(botUserIdOf('stand-in-token')).toBeUndefined();
		expect(botUserIdOf('')).toBeUndefined();
	});
});
