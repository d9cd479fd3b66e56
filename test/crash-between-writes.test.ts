import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../src/domain/job.js';
import { openStore } from '../src/storage/store.js';
import { type Harness, startHarness } from '../standins/harness.js';
import {
	creditsOf,
	jobEnded,
	jobsOf,
	logEntries,
	postedVideos,
	privateAnswer,
	runVideo,
	visibleText,
} from '../standins/journeys.js';
import { RawStore } from './support/raw-store.js';
import { StoreWriteFaults } from './support/store-write-faults.js';

const PROMPT = 'a lighthouse in a winter storm';
const GENERIC_ERROR = 'Something went wrong on our side. Please try again in a moment.';

/**
 * Accepting a job writes, in order: the held credits (the guild's ledger), the submit body, the job, the member's
 * recent jobs, the open jobs, and then marks the job as being sent, before the submit goes out. Each case lets the
 * first N of those writes land and none after (as a process killed there leaves the database), then starts the bot
 * again on the same file.
 */
describe('a job whose creation was cut off after some of its writes', () => {
	let harness: Harness;
	let raw: RawStore | undefined;

	afterEach(async () => {
		await raw?.close();
		await harness.closeChecked();
	});

	async function cutAfter(writes: number): Promise<void> {
		const faults = new StoreWriteFaults();
		let databaseUrl = '';
		harness = await startHarness({
			modelverse: { hold: true },
			openStore: (url) => {
				databaseUrl = url;
				return faults.around(openStore(url));
			},
		});
		faults.refuseWritesAfter(writes, (key) => key.endsWith(':credits'));
		const handle = runVideo(harness, 'text', { prompt: PROMPT });
		expect(await privateAnswer(harness, handle, 10_000)).toBe(GENERIC_ERROR);
		faults.heal();
		await harness.restart();
		raw = new RawStore(databaseUrl);
	}

	/**
	 * The member was answered with an error and the public placeholder removed when the store failed, so after the
	 * restart the job's progress is a message the bot posts in the channel.
	 */
	const channelProgress = (text: string) =>
		harness.discord.waitFor(
			() =>
				harness.discord
					.channelMessages(harness.discord.channelId)
					.map(visibleText)
					.find((shown) => shown.includes(PROMPT) && shown.includes(text)),
			10_000,
		);

	const submits = () => harness.modelverse.received.filter((request) => request.route === 'submit');

	it.each([
		{ writes: 0, landed: 'nothing' },
		{ writes: 1, landed: 'the held credits' },
		{ writes: 2, landed: 'the held credits and the submit body' },
	])('after $landed: the credits are back, nothing was sent and nothing is left behind', async ({ writes }) => {
		await cutAfter(writes);

		expect(await creditsOf(harness)).toEqual({ member: 0, server: 0, memberRunning: 0, serverRunning: 0 });
		expect(await jobsOf(harness)).not.toContain(PROMPT);
		expect(submits()).toHaveLength(0);
		expect((await raw?.rows())?.filter((row) => row.key.startsWith('job:'))).toEqual([]);
	});

	it.each([
		{ writes: 3, landed: 'the job itself' },
		{ writes: 4, landed: "the job and the member's recent jobs" },
		{ writes: 5, landed: 'every write of the job, not yet marked as being sent' },
	])('after $landed: the restarted bot sends it once and delivers it', async ({ writes }) => {
		await cutAfter(writes);

		const taskId = await harness.discord.waitFor(() => harness.modelverse.submissions[0]?.taskId, 10_000);
		harness.modelverse.complete(taskId, 'Success');
		await channelProgress('Done');
		expect(submits()).toHaveLength(1);
		expect(postedVideos(harness)).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual({ member: 9, server: 9, memberRunning: 0, serverRunning: 0 });
		expect(await jobsOf(harness)).toContain(PROMPT);
	});

	it('after every write and the mark that it is being sent (and it was sent): the restarted bot never sends it again, returns the credits and says why', async () => {
		await cutAfter(6);

		await channelProgress('did not confirm');
		expect(submits()).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual({ member: 0, server: 0, memberRunning: 0, serverRunning: 0 });
	});
});

/** A job ends with one write of the job, then its credits are kept or returned, then the member is told. */
describe('a job whose ending was cut off before its credits were kept or returned', () => {
	let harness: Harness;

	afterEach(async () => {
		await harness.closeChecked();
	});

	it.each([
		{ outcome: 'Success', ended: 'succeeded', credits: 9, videos: 1, shown: 'Done' },
		{ outcome: 'Failure', ended: 'failed', credits: 0, videos: 0, shown: 'Failed' },
	] as const)(
		'$ended: the restarted bot settles its credits once and shows the member how it ended',
		async ({ outcome, ended, credits, videos, shown }) => {
			const faults = new StoreWriteFaults();
			harness = await startHarness({ modelverse: { hold: true }, openStore: (url) => faults.around(openStore(url)) });
			const handle = runVideo(harness, 'text', { prompt: PROMPT });
			const taskId = await harness.discord.waitFor(() => harness.modelverse.submissions[0]?.taskId, 10_000);
			faults.refuseWritesAfter(
				1,
				(key, value) => key.startsWith('job:') && (value as Job | undefined)?.state === ended,
			);
			harness.modelverse.complete(taskId, outcome);
			await harness.discord.waitFor(() => logEntries(harness, { msg: /poll failed/, level: 50 })[0], 10_000);
			expect(await creditsOf(harness)).toMatchObject({ memberRunning: 1 });

			faults.heal();
			await harness.restart();

			expect(await jobEnded(harness, handle)).toContain(shown);
			expect(await creditsOf(harness)).toEqual({
				member: credits,
				server: credits,
				memberRunning: 0,
				serverRunning: 0,
			});
			expect(postedVideos(harness)).toHaveLength(videos);
			expect(logEntries(harness, { msg: /settled the credits of a job that ended just before a crash/ })).toEqual([
				expect.objectContaining({ state: ended, credits: 9 }),
			]);
		},
	);
});
