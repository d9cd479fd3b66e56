import { afterEach, describe, expect, it } from 'vitest';
import {
	charged,
	creditsOf,
	jobEnded,
	logEntries,
	postedVideos,
	runVideo,
	someMember,
	waitForDelivered,
} from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';

/** 0.02 minutes: 1.2 s from acceptance. */
const DEADLINE_MINUTES = '0.02';
const DEADLINE_MS = 1_200;
/** What a default text job (720p, 5 s, no audio) costs: 5 × 1.8. */
const JOB_COST = 9;

describe('a job times out on the provider’s word, never on the bot’s downtime', () => {
	let world: ProcessStandIns;

	afterEach(async () => {
		await world.close();
	});

	it('tasks that finished while the bot was down past their deadline are delivered and charged, not timed out', async () => {
		world = await startProcessStandIns({
			modelverse: { hold: true },
			env: { JOB_DEADLINE_MINUTES: DEADLINE_MINUTES, MODELVERSE_STATUS_TIMEOUT_MS: '30000' },
		});
		const { discord, modelverse } = world;
		const first = await world.start();
		// Each job's first status query gets no answer while this bot lives: it never hears that its task is not done.
		modelverse.injectFault('status', { delayMs: 60_000 }, 2);
		const members = [someMember(1), someMember(2)];
		const commands = members.map((user, index) => runVideo(world, 'text', { prompt: `kite ${index}` }, { user }));
		await discord.waitFor(
			() => modelverse.received.filter((request) => request.route === 'status').length >= 2,
			10_000,
		);
		const lastSubmitAt = Math.max(...modelverse.submissions.map((submission) => submission.at));
		await discord.waitFor(() => Date.now() > lastSubmitAt + DEADLINE_MS, 10_000);
		await first.stop('SIGKILL');

		for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');
		const bot = await world.start();

		for (const [index, command] of commands.entries()) {
			const posted = await waitForDelivered(world, command, members[index]?.id);
			expect(posted.attachments).toHaveLength(1);
		}
		for (const user of members) {
			expect(postedVideos(world, user.id)).toHaveLength(1);
			expect(await creditsOf(world, user)).toEqual({
				member: JOB_COST,
				server: 2 * JOB_COST,
				memberRunning: 0,
				serverRunning: 0,
			});
		}
		expect(modelverse.submissions).toHaveLength(2);
		expect(bot.lines.filter((line) => line.includes('timed_out'))).toEqual([]);
	});
});

describe('deadlines while the bot runs', () => {
	it('status queries that fail past the deadline do not time the job out: the first real answer decides', async () => {
		const harness = await startHarnessForTest({
			modelverse: { hold: true },
			env: { JOB_DEADLINE_MINUTES: DEADLINE_MINUTES },
		});
		harness.modelverse.injectFault('status', { status: 500 }, 40);
		const command = runVideo(harness, 'text', { prompt: 'a slow tide' });
		const { taskId, at } = await harness.discord.waitFor(() => harness.modelverse.submissions[0]);
		await harness.discord.waitFor(
			() => Date.now() > at + DEADLINE_MS && harness.modelverse.queriesFor(taskId).length >= 5,
			10_000,
		);
		expect(harness.modelverse.queriesFor(taskId).every((query) => query.status === 500)).toBe(true);
		harness.modelverse.complete(taskId, 'Success');

		await waitForDelivered(harness, command);
		expect(await creditsOf(harness)).toEqual(charged(JOB_COST));
	});

	it('a job waiting after 429s past its deadline ends with its credits returned, and no task is created', async () => {
		const harness = await startHarnessForTest({ env: { JOB_DEADLINE_MINUTES: DEADLINE_MINUTES } });
		harness.modelverse.injectFault('submit', { status: 429 }, 1_000);
		const command = runVideo(harness, 'text', { prompt: 'a crowded harbour' });

		const shown = await jobEnded(harness, command);
		expect(shown).toContain('Timed out');
		expect(shown).toContain('The video service stayed too busy to take this job');
		expect(shown).toContain('Your credits were returned.');
		expect(harness.modelverse.submissions).toEqual([]);
		expect(harness.modelverse.rejected.length).toBeGreaterThan(1);
		expect(await creditsOf(harness)).toEqual(charged(0));
		expect(logEntries(harness, { msg: /job ended without a video/ })).toEqual([
			expect.objectContaining({ reason: 'job.busyTimedOut', state: 'timed_out' }),
		]);
	});
});
