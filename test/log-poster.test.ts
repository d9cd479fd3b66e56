import { describe, expect, it } from 'vitest';
import { LogPoster, type LogTarget } from '../src/moderation/log/log-poster.js';
import { createLogger } from '../src/ops/logger.js';

const TARGET: LogTarget = { guildId: '1', channelId: '2', setBy: '3', locale: 'en-US', setAt: 1 };

/** A poster whose sends wait until the test lets them through, one at a time. */
function heldPoster(capacity: number) {
	const sent: string[] = [];
	const drops: Array<[number, string]> = [];
	let release: () => void = () => {};
	const poster = new LogPoster({
		send: async (_channelId, content) => {
			sent.push(content);
			await new Promise<void>((resolve) => {
				release = resolve;
			});
		},
		refused: async () => {},
		droppedNote: (_target, count) => `(${count} dropped)`,
		dropped: (count, why) => drops.push([count, why]),
		logger: createLogger({ level: 'silent', secrets: [] }),
		capacity,
		minGapMs: 0,
	});
	const sends = async (count: number) => {
		while (sent.length < count) await new Promise((resolve) => setImmediate(resolve));
	};
	return { poster, sent, drops, release: () => release(), sends };
}

describe('a log channel’s queue', () => {
	it('keeps the newest lines when a burst is larger than it holds, and says how many were left out', async () => {
		const { poster, sent, drops, release, sends } = heldPoster(3);
		poster.post(TARGET, 'line 0');
		await sends(1);
		for (let line = 1; line <= 6; line += 1) poster.post(TARGET, `line ${line}`);
		release();
		await sends(2);
		expect(sent).toEqual(['line 0', '(3 dropped)\nline 4\nline 5\nline 6']);
		expect(drops).toEqual([
			[1, 'queue-full'],
			[1, 'queue-full'],
			[1, 'queue-full'],
		]);
		release();
	});

	it('never puts more than Discord’s 2000 characters in one message', async () => {
		const { poster, sent, release, sends } = heldPoster(10);
		poster.post(TARGET, 'first');
		await sends(1);
		for (const letter of ['a', 'b', 'c']) poster.post(TARGET, letter.repeat(900));
		release();
		await sends(2);
		release();
		await sends(3);
		release();
		expect(sent.slice(1)).toEqual([`${'a'.repeat(900)}\n${'b'.repeat(900)}`, 'c'.repeat(900)]);
		expect(sent.every((message) => [...message].length <= 2000)).toBe(true);
	});
});
