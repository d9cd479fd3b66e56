import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/store.js';
import { RenderEstimates } from '../src/video/polling/render-estimates.js';
import { charged, creditsOf, jobEnded, postedVideos, runVideo } from '../standins/journeys.js';
import type { BotProcess } from './support/bot-process.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';

/** Far enough ahead that the render far from done is plainly not asked at once after the restart. */
const LONGEST_WAIT_MS = 15_000;

/**
 * After a restart the bot knows each open task only by its settings and submit time: it asks first about the ones
 * whose renders are likely done, and waits for the others where their finish becomes likely, losing none.
 */
describe('a restarted bot aims its first queries at the likely finishes', () => {
	let world: ProcessStandIns;
	let bot: BotProcess | undefined;

	beforeEach(async () => {
		world = await startProcessStandIns({
			modelverse: { hold: true },
			env: { POLL_MIN_INTERVAL_MS: '100', POLL_MAX_INTERVAL_MS: String(LONGEST_WAIT_MS) },
		});
	});

	afterEach(async () => {
		await world.close();
	});

	async function startBot(): Promise<void> {
		bot = await world.start();
	}

	/** What the bot has learned before: 540p 5 s renders take a second, 1080p 10 s ones ten minutes. */
	async function learnedRenders(): Promise<void> {
		const store = openStore(world.env.DATABASE_URL ?? '');
		const estimates = new RenderEstimates(store);
		for (let sample = 0; sample < 20; sample++) {
			await estimates.record('540p', 5, 1);
			await estimates.record('1080p', 10, 600);
		}
		await store.disconnect();
	}

	const taskOf = (prompt: string) =>
		world.modelverse.submissions.find((submission) => submission.body.input.prompt === prompt)?.taskId ?? '';

	it('asks at once about a task likely done while it was down, later about one far from done, and delivers both once', async () => {
		await learnedRenders();
		await startBot();
		const long = runVideo(world, 'text', { prompt: 'a long storm', resolution: '1080p', duration: 10 });
		const short = runVideo(world, 'text', { prompt: 'a short kite', resolution: '540p', duration: 5 });
		const followed = (prompt: string) => world.modelverse.queriesFor(taskOf(prompt)).length > 0;
		await world.discord.waitFor(() => (followed('a long storm') && followed('a short kite')) || undefined, 10_000);
		await bot?.stop('SIGKILL');

		const longTask = taskOf('a long storm');
		const shortTask = taskOf('a short kite');
		world.modelverse.complete(shortTask, 'Success');
		const queriesBeforeRestart = world.modelverse.statusQueries.length;
		await startBot();

		await world.discord.waitFor(() => postedVideos(world).length === 1 || undefined, 10_000);
		const afterRestart = world.modelverse.statusQueries
			.slice(queriesBeforeRestart)
			.filter((query) => query.taskId === shortTask || query.taskId === longTask);
		expect(afterRestart[0]?.taskId).toBe(shortTask);
		expect(afterRestart.filter((query) => query.taskId === longTask)).toEqual([]);

		world.modelverse.complete(longTask, 'Success');
		await world.discord.waitFor(() => postedVideos(world).length === 2 || undefined, LONGEST_WAIT_MS + 15_000);
		await jobEnded(world, short);
		await jobEnded(world, long);
		expect(world.modelverse.submissions).toHaveLength(2);
		expect(postedVideos(world)).toHaveLength(2);
		expect(await creditsOf(world)).toEqual(charged(43));
	}, 90_000);
});
