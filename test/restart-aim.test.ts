import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/store.js';
import { RenderEstimates } from '../src/video/polling/render-estimates.js';
import { type DiscordStandIn, startDiscordStandIn } from '../standins/discord/index.js';
import { MODELVERSE_TEST_KEY, standInEnvironment } from '../standins/harness.js';
import { creditsOf, jobEnded, postedVideos, runVideo } from '../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';
import { type BotProcess, spawnBot } from './support/bot-process.js';

/** Far enough ahead that the render far from done is plainly not asked at once after the restart. */
const LONGEST_WAIT_MS = 15_000;

/**
 * After a restart the bot knows each open task only by its settings and submit time: it asks first about the ones
 * whose renders are likely done, and waits for the others where their finish becomes likely, losing none.
 */
describe('a restarted bot aims its first queries at the likely finishes', () => {
	let discord: DiscordStandIn;
	let modelverse: ModelverseStandIn;
	let dataDir: string;
	let env: Record<string, string>;
	let bot: BotProcess | undefined;

	beforeEach(async () => {
		discord = await startDiscordStandIn();
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, hold: true });
		dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bot-restart-aim-'));
		env = {
			...standInEnvironment(discord, modelverse, dataDir),
			POLL_MIN_INTERVAL_MS: '100',
			POLL_MAX_INTERVAL_MS: String(LONGEST_WAIT_MS),
		};
	});

	afterEach(async () => {
		await bot?.stop('SIGKILL');
		expect(discord.validationFailures).toEqual([]);
		await Promise.all([discord.close(), modelverse.close()]);
		rmSync(dataDir, { recursive: true, force: true });
	});

	async function startBot(): Promise<void> {
		bot = spawnBot(env);
		await bot.waitForLine('bot ready');
	}

	/** What the bot has learned before: 540p 5 s renders take a second, 1080p 10 s ones ten minutes. */
	async function learnedRenders(): Promise<void> {
		const store = openStore(env.DATABASE_URL ?? '');
		const estimates = new RenderEstimates(store);
		for (let sample = 0; sample < 20; sample++) {
			await estimates.record('540p', 5, 1);
			await estimates.record('1080p', 10, 600);
		}
		await store.disconnect();
	}

	const taskOf = (prompt: string) =>
		modelverse.submissions.find((submission) => submission.body.input.prompt === prompt)?.taskId ?? '';

	it('asks at once about a task likely done while it was down, later about one far from done, and delivers both once', async () => {
		await learnedRenders();
		await startBot();
		const long = runVideo({ discord }, 'text', { prompt: 'a long storm', resolution: '1080p', duration: 10 });
		const short = runVideo({ discord }, 'text', { prompt: 'a short kite', resolution: '540p', duration: 5 });
		const followed = (prompt: string) => modelverse.queriesFor(taskOf(prompt)).length > 0;
		await discord.waitFor(() => (followed('a long storm') && followed('a short kite')) || undefined, 10_000);
		await bot?.stop('SIGKILL');

		const longTask = taskOf('a long storm');
		const shortTask = taskOf('a short kite');
		modelverse.complete(shortTask, 'Success');
		const queriesBeforeRestart = modelverse.statusQueries.length;
		await startBot();

		await discord.waitFor(() => postedVideos({ discord }).length === 1 || undefined, 10_000);
		const afterRestart = modelverse.statusQueries
			.slice(queriesBeforeRestart)
			.filter((query) => query.taskId === shortTask || query.taskId === longTask);
		expect(afterRestart[0]?.taskId).toBe(shortTask);
		expect(afterRestart.filter((query) => query.taskId === longTask)).toEqual([]);

		modelverse.complete(longTask, 'Success');
		await discord.waitFor(() => postedVideos({ discord }).length === 2 || undefined, LONGEST_WAIT_MS + 15_000);
		await jobEnded({ discord }, short);
		await jobEnded({ discord }, long);
		expect(modelverse.submissions).toHaveLength(2);
		expect(postedVideos({ discord })).toHaveLength(2);
		expect(await creditsOf({ discord })).toEqual({ member: 43, server: 43, memberRunning: 0, serverRunning: 0 });
	}, 90_000);
});
