import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../src/domain/job.js';
import { openStore } from '../src/storage/store.js';
import type { Harness } from '../standins/harness.js';
import {
	channelMessageShowing,
	charged,
	creditsOf,
	jobEnded,
	jobsOf,
	logEntries,
	postedVideos,
	privateAnswer,
	runVideo,
	visibleText,
} from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';
import { RawStore } from './support/raw-store.js';
import { StoreWriteFaults } from './support/store-write-faults.js';

const PROMPT = 'a lighthouse in a winter storm';
const GENERIC_ERROR = 'Something went wrong on our side. Please try again in a moment.';
const JOB = /^job:[\w-]+$/;
const TASK = /^task:[\w-]+$/;

const submits = (harness: Harness) => harness.modelverse.received.filter((request) => request.route === 'submit');

/**
 * Accepting a job writes, in order: the operator's bill, the held credits (the guild's ledger), the submit body, the
 * job, the member's recent jobs, the open jobs, the mark that it is being sent, and the task record (the day's index,
 * then the record) before the submit goes out; then the provider's answer on the job, and on the task record. Each
 * case lets the first N of those writes land and none after (as a process killed there leaves the database), then
 * starts the bot again on the same file.
 */
describe('a job whose creation was cut off after some of its writes', () => {
	let harness: Harness;
	let raw: RawStore | undefined;

	afterEach(async () => {
		await raw?.close();
		raw = undefined;
	});

	async function cutAfter(writes: number, lastLanded: RegExp | undefined): Promise<void> {
		const faults = new StoreWriteFaults();
		harness = await startHarnessForTest({
			modelverse: { hold: true },
			openStore: (url) => {
				faults.heal();
				return faults.around(openStore(url));
			},
		});
		faults.refuseWritesAfter(writes, (key) => key.endsWith(':credits'));
		const handle = runVideo(harness, 'text', { prompt: PROMPT });
		expect(await privateAnswer(harness, handle, 10_000)).toBe(GENERIC_ERROR);
		// Each case is named for its last write: a change to the order of writes must show here, not mislabel a case.
		expect(faults.landed).toHaveLength(writes);
		if (lastLanded) expect(faults.landed.at(-1)).toMatch(lastLanded);
		// Writes work again only once the next process opens the store, so the stopped one writes nothing after the cut.
		await harness.restart();
		raw = new RawStore(harness.databaseUrl);
	}

	/**
	 * The member was answered with an error and the public placeholder removed when the store failed, so after the
	 * restart the job's progress is a message the bot posts in the channel.
	 */
	const channelProgress = (text: string) => channelMessageShowing(harness, [PROMPT, text]);

	it.each([
		{ writes: 0, landed: 'nothing', last: undefined },
		{ writes: 1, landed: "the operator's bill", last: /^operator:credits$/ },
		{ writes: 2, landed: 'the held credits', last: /^guild:\d+:credits$/ },
		{ writes: 3, landed: 'the held credits and the submit body', last: /^job:[\w-]+:submit-body$/ },
	])('after $landed: the credits are back, nothing was sent and nothing is left behind', async ({ writes, last }) => {
		await cutAfter(writes, last);

		expect(await creditsOf(harness)).toEqual(charged(0));
		expect(await jobsOf(harness)).not.toContain(PROMPT);
		expect(submits(harness)).toHaveLength(0);
		expect((await raw?.rows())?.filter((row) => row.key.startsWith('job:'))).toEqual([]);
	});

	it.each([
		{ writes: 4, landed: 'the job itself', last: JOB },
		{ writes: 5, landed: "the job and the member's recent jobs", last: /^member:\d+:\d+:recent-jobs$/ },
		{ writes: 6, landed: 'every write of the job, not yet marked as being sent', last: /^jobs:open$/ },
		{ writes: 10, landed: 'the task id on the job (it was sent before the stop)', last: JOB },
		{ writes: 11, landed: 'the task id on the task record too (it was sent before the stop)', last: TASK },
	])('after $landed: the restarted bot sends it once and delivers it', async ({ writes, last }) => {
		await cutAfter(writes, last);

		const taskId = await harness.discord.waitFor(() => harness.modelverse.submissions[0]?.taskId, 10_000);
		harness.modelverse.complete(taskId, 'Success');
		await channelProgress('Done');
		expect(submits(harness)).toHaveLength(1);
		expect(postedVideos(harness)).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual(charged(9));
		expect(await jobsOf(harness)).toContain(PROMPT);
	});

	it.each([
		{ writes: 7, landed: 'the mark that it is being sent', last: JOB, sent: 0 },
		{ writes: 8, landed: "the mark and the day's index of sent tasks", last: /^tasks:day:/, sent: 0 },
		{ writes: 9, landed: 'the task record (and it was sent)', last: TASK, sent: 1 },
	])(
		'after $landed: the restarted bot cannot tell whether it was sent, so never sends it, returns the credits and says why',
		async ({ writes, last, sent }) => {
			await cutAfter(writes, last);

			await channelProgress('did not confirm');
			expect(submits(harness)).toHaveLength(sent);
			expect(await creditsOf(harness)).toEqual(charged(0));
		},
	);
});

/**
 * A made video is stored as being delivered, then its credits are kept, then it is posted; a job that made none is
 * stored as ended, then its credits are returned, then the member is told. Each case lets that one write of the job
 * land and none after it.
 */
describe('a job whose ending was cut off before its credits were kept or returned', () => {
	it.each([
		{
			outcome: 'Success',
			stored: 'delivering',
			cutOff: /could not keep the credits of a made video yet/,
			recovered: /kept the credits of a made video a stop had left held/,
			credits: 9,
			videos: 1,
			shown: 'Done',
		},
		{
			outcome: 'Failure',
			stored: 'failed',
			cutOff: /poll failed/,
			recovered: /returned the credits of a job that ended just before a stop/,
			credits: 0,
			videos: 0,
			shown: 'Failed',
		},
	] as const)(
		'$outcome, stored as $stored: the restarted bot settles its credits once and shows the member how it ended',
		async ({ outcome, stored, cutOff, recovered, credits, videos, shown }) => {
			const faults = new StoreWriteFaults();
			// Writes work again only once the next process opens the store: the stopped one, as if killed at the cut,
			// writes nothing after it (its delivery would otherwise finish the job before the restart).
			const harness = await startHarnessForTest({
				modelverse: { hold: true },
				openStore: (url) => {
					faults.heal();
					return faults.around(openStore(url));
				},
			});
			const handle = runVideo(harness, 'text', { prompt: PROMPT });
			const taskId = await harness.discord.waitFor(() => harness.modelverse.submissions[0]?.taskId, 10_000);
			faults.refuseWritesAfter(
				1,
				(key, value) => key.startsWith('job:') && (value as Job | undefined)?.state === stored,
			);
			harness.modelverse.complete(taskId, outcome);
			await harness.discord.waitFor(() => logEntries(harness, { msg: cutOff, level: 50 })[0], 10_000);
			expect(await creditsOf(harness)).toMatchObject({ memberRunning: 1 });

			await harness.restart();

			expect(await jobEnded(harness, handle)).toContain(shown);
			expect(await creditsOf(harness)).toEqual(charged(credits));
			expect(postedVideos(harness)).toHaveLength(videos);
			expect(logEntries(harness, { msg: recovered })).toEqual([expect.objectContaining({ state: stored, credits: 9 })]);
		},
	);
});

/**
 * A job leaves the line in two writes: its turn is taken in the guild's ledger (a running slot, credits still held),
 * then its record leaves `in_line`. The cut falls between the two.
 */
describe('a job whose turn in the line was taken just before a stop', () => {
	it('starts at the next start, is sent once, and its credits are spent once', async () => {
		const faults = new StoreWriteFaults();
		const harness = await startHarnessForTest({
			env: { MAX_RUNNING_JOBS_PER_MEMBER: '1' },
			modelverse: { hold: true },
			openStore: (url) => {
				faults.heal();
				return faults.around(openStore(url));
			},
		});
		const first = runVideo(harness, 'text', { prompt: 'runs first' });
		const firstTask = await harness.discord.waitFor(() => harness.modelverse.submissions[0]?.taskId, 10_000);
		const second = runVideo(harness, 'text', { prompt: PROMPT });
		await harness.discord.waitFor(() => visibleText(second.original()).includes('Waiting in line: 1st'), 10_000);

		// The ledger that empties the line while still holding the waiting job's credits is the turn being taken.
		const turnTaken = (key: string, value: unknown) => {
			const ledger = value as { line?: object; held?: object } | undefined;
			return key.endsWith(':credits') && ledger?.line !== undefined && Object.keys(ledger.line).length === 0;
		};
		faults.refuseWritesAfter(1, turnTaken);
		harness.modelverse.complete(firstTask, 'Success');
		await harness.discord.waitFor(() => logEntries(harness, { msg: /a job from the line failed to start/ })[0], 10_000);
		expect(submits(harness)).toHaveLength(1);

		await harness.restart();
		const secondTask = await harness.discord.waitFor(() => harness.modelverse.submissions[1]?.taskId, 10_000);
		harness.modelverse.complete(secondTask, 'Success');
		expect(await jobEnded(harness, second)).toContain('Your video:');
		expect(await jobEnded(harness, first)).toContain('Your video:');
		expect(submits(harness)).toHaveLength(2);
		expect(harness.modelverse.submissions.map((submission) => submission.body.input.prompt)).toEqual([
			'runs first',
			PROMPT,
		]);
		expect(postedVideos(harness)).toHaveLength(2);
		expect(await creditsOf(harness)).toEqual(charged(18));
	});
});
