import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/store.js';
import { type DiscordStandIn, startDiscordStandIn } from '../standins/discord/index.js';
import { type Harness, MODELVERSE_TEST_KEY, standInEnvironment, startHarness } from '../standins/harness.js';
import { creditsOf, jobEnded, logEntries, runVideo, visibleText, waitForProgressText } from '../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';
import { type BotProcess, spawnBot } from './support/bot-process.js';
import { StoreWriteFaults } from './support/store-write-faults.js';

const NOTHING_USED = { member: 0, server: 0, memberRunning: 0, serverRunning: 0 };

describe('a step cut off halfway is finished at the next start, never repeated', () => {
	let harness: Harness | undefined;
	let discord: DiscordStandIn | undefined;
	let modelverse: ModelverseStandIn | undefined;
	let dataDir: string | undefined;
	let bot: BotProcess | undefined;

	afterEach(async () => {
		await harness?.closeChecked();
		await bot?.stop('SIGKILL');
		if (discord) {
			expect(discord.validationFailures).toEqual([]);
			expect(discord.unhandledRoutes).toEqual([]);
		}
		await Promise.all([discord?.close(), modelverse?.close()]);
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		harness = discord = modelverse = dataDir = bot = undefined;
	});

	it('a job that ended as failed just before its credits went back gets them back, and the member is told, at the next start', async () => {
		const writes = new StoreWriteFaults();
		harness = await startHarness({
			modelverse: { hold: true },
			openStore: (databaseUrl) => writes.around(openStore(databaseUrl)),
		});
		const started = harness;
		const command = runVideo(started, 'text', { prompt: 'a paper lantern' });
		await waitForProgressText(started, command, 'Queued');
		// The job's end is stored; then the database turns read-only as the credits are returned.
		writes.refuseWritesFrom((key) => key.endsWith(`${started.discord.guildId}:credits`));
		started.modelverse.complete(started.modelverse.submissions[0]?.taskId ?? '', 'Failure', 'The render crashed.');
		await started.discord.waitFor(() => logEntries(started, { msg: /poll failed/ }).length > 0, 10_000);
		expect(await creditsOf(started)).toMatchObject({ member: 9, memberRunning: 1 });

		writes.heal();
		await started.restart();

		expect(await creditsOf(started)).toEqual(NOTHING_USED);
		expect(await jobEnded(started, command)).toContain('The video could not be made: The render crashed.');
		expect(logEntries(started, { msg: /returned the credits of a job that ended just before a stop/ })).toEqual([
			expect.objectContaining({ guildId: started.discord.guildId, state: 'failed', credits: 9 }),
		]);
	});

	it('a retried submit (after a 429) cut off by a kill is not sent again: the member is told and the credits return', async () => {
		discord = await startDiscordStandIn();
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, hold: true });
		dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bot-interrupted-'));
		const env = standInEnvironment(discord, modelverse, dataDir);
		const provider = modelverse;
		const submitsReceived = () => provider.received.filter((request) => request.route === 'submit').length;
		bot = spawnBot(env);
		await bot.waitForLine('bot ready');
		provider.injectFault('submit', { status: 429 });
		provider.injectFault('submit', { delayMs: 4_000 });

		const command = runVideo({ discord }, 'text', { prompt: 'a crowded harbour' });
		await discord.waitFor(() => submitsReceived() === 2, 10_000);
		await bot.stop('SIGKILL');
		bot = spawnBot(env);
		await bot.waitForLine('bot ready');

		await discord.waitFor(() => visibleText(command.original()).includes('did not confirm'), 10_000);
		await bot.waitForLine('may have been billed');
		// The provider made the task after its delay, as a real one may: the bot must not have made a second.
		await discord.waitFor(() => provider.submissions.length > 0, 10_000);
		expect(provider.submissions).toHaveLength(1);
		expect(submitsReceived()).toBe(2);
		expect(await creditsOf({ discord })).toEqual(NOTHING_USED);
	});
});
