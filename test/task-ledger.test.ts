import type Keyv from 'keyv';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { KeyedMutex } from '../src/storage/keyed-mutex.js';
import { openStore } from '../src/storage/store.js';
import { TaskLedger } from '../src/storage/task-ledger.js';

const DAY_MS = 86_400_000;
const opened: Keyv[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map((keyv) => keyv.disconnect()));
});

function ledger(): TaskLedger {
	const keyv = openStore('sqlite://:memory:');
	opened.push(keyv);
	return new TaskLedger(keyv, new KeyedMutex());
}

const opening = (jobId: string, sentAt: string) => ({
	jobId,
	guildId: '380000000000000001',
	userId: '380000000000000002',
	mode: 'text' as const,
	settings: { resolution: '360p' as const, duration: 5, audio: false, seed: 1 },
	credits: 5,
	sentAt: Date.parse(sentAt),
});

describe('the record of every provider task', () => {
	it('sets each field once: a second outcome is refused and the first one stays', async () => {
		const tasks = ledger();
		await tasks.sent(opening('job-a', '2026-11-03T10:00:00Z'));
		await tasks.sent({ ...opening('job-a', '2026-11-04T10:00:00Z'), credits: 50 });
		expect(await tasks.add('job-a', { taskId: 'task-1', requestId: 'req-1' })).toEqual([]);
		expect(await tasks.add('job-a', { outcome: 'unknown', endedAt: 1 })).toEqual([]);
		expect(await tasks.add('job-a', { outcome: 'succeeded', endedAt: 2, taskId: 'task-1' })).toEqual([
			'outcome',
			'endedAt',
		]);

		expect(await tasks.month('2026-11')).toEqual([
			{
				...opening('job-a', '2026-11-03T10:00:00Z'),
				taskId: 'task-1',
				requestId: 'req-1',
				outcome: 'unknown',
				endedAt: 1,
			},
		]);
	});

	it('reads a month as its UTC days, first sent first, and nothing from the months around it', async () => {
		const tasks = ledger();
		await tasks.sent(opening('late', '2026-11-30T23:59:59Z'));
		await tasks.sent(opening('early', '2026-11-01T00:00:00Z'));
		await tasks.sent(opening('before', '2026-10-31T23:59:59Z'));
		await tasks.sent(opening('after', '2026-12-01T00:00:00Z'));

		expect((await tasks.month('2026-11')).map((record) => record.jobId)).toEqual(['early', 'late']);
		expect((await tasks.month('2026-10')).map((record) => record.jobId)).toEqual(['before']);
	});

	it('keeps records 13 months and more, far past the 30 days jobs are kept', async () => {
		vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-11-15T12:00:00Z') });
		onTestFinished(() => {
			vi.useRealTimers();
		});
		const tasks = ledger();
		await tasks.sent(opening('kept', '2026-11-15T12:00:00Z'));
		await tasks.add('kept', { outcome: 'succeeded', endedAt: Date.now() });

		vi.setSystemTime(Date.now() + 396 * DAY_MS);
		expect((await tasks.month('2026-11')).map((record) => record.jobId)).toEqual(['kept']);
		vi.setSystemTime(Date.now() + 10 * DAY_MS);
		expect(await tasks.month('2026-11')).toEqual([]);
	});
});
