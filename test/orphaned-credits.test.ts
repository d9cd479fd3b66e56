import { afterEach, expect, it } from 'vitest';
import { openStore } from '../src/storage/store.js';
import { type Harness, startHarness } from '../standins/harness.js';
import { charged, creditsOf, logEntries, privateAnswer, runVideo } from '../standins/journeys.js';
import { StoreWriteFaults } from './support/store-write-faults.js';

let harness: Harness;

afterEach(async () => {
	await harness.closeChecked();
});

it('credits held for a job that was never stored (the store failed mid-accept, and returning them failed too) are returned at the next start', async () => {
	const writes = new StoreWriteFaults();
	harness = await startHarness({ openStore: (databaseUrl) => writes.around(openStore(databaseUrl)) });
	// The credits are held; then the database turns read-only just as the job itself is saved.
	writes.refuseWritesFrom((key) => key.startsWith('job:'));

	const handle = runVideo(harness, 'text', { prompt: 'a kite over the dunes' });
	expect(await privateAnswer(harness, handle)).toBe('Something went wrong on our side. Please try again in a moment.');
	expect(harness.modelverse.submissions).toEqual([]);
	expect(await creditsOf(harness)).toEqual({ member: 9, server: 9, memberRunning: 1, serverRunning: 1 });

	writes.heal();
	await harness.restart();

	expect(await creditsOf(harness)).toEqual(charged(0));
	expect(logEntries(harness, { msg: /returned credits of a job never stored/ })).toEqual([
		expect.objectContaining({ guildId: harness.discord.guildId, credits: 9 }),
	]);
});
