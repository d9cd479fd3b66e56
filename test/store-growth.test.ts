import type Keyv from 'keyv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../src/storage/store.js';
import { type Harness, startHarness } from '../standins/harness.js';
import { attachment, jobEnded, jobsOf, runVideo } from '../standins/journeys.js';
import { PNG } from '../standins/media-fixtures.js';

const DAY = 24 * 60 * 60 * 1000;

/** Every key in the SQLite file, expired or not: Keyv itself would hide the expired ones. */
async function keysOnDisk(store: Keyv): Promise<string[]> {
	const sqlite = store.store as { query(sql: string): Promise<Array<{ key: string }>> };
	return (await sqlite.query('SELECT key FROM keyv')).map((row) => row.key);
}

describe('a month of traffic does not grow the store', () => {
	let harness: Harness;

	afterEach(async () => {
		vi.useRealTimers();
		await harness.closeChecked();
	});

	it('a month after a member’s last jobs ended, nothing of them is left on disk', async () => {
		let store: Keyv | undefined;
		harness = await startHarness({ openStore: (databaseUrl) => (store = openStore(databaseUrl)) });
		const image = runVideo(harness, 'image', { image: attachment('cat.png', PNG), prompt: 'the cat blinks' });
		const text = runVideo(harness, 'text', { prompt: 'waves at dusk' });
		await jobEnded(harness, image);
		await jobEnded(harness, text);
		expect(await jobsOf(harness)).toContain('waves at dusk');
		const ofJobs = (keys: string[]) => keys.filter((key) => /^bot:(job|member):/.test(key));
		expect(ofJobs(await keysOnDisk(store as Keyv))).not.toEqual([]);

		vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 32 * DAY });
		await harness.restart();

		expect(ofJobs(await keysOnDisk(store as Keyv))).toEqual([]);
	});
});
