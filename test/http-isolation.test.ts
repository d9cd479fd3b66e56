import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../standins/discord/index.js';
import { MODELVERSE_TEST_KEY, standInEnvironment } from '../standins/harness.js';
import { fetchBytes, runVideo, waitForPostedVideo } from '../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';
import { type BotProcess, spawnBot } from './support/bot-process.js';

const reportDispatcher = fileURLToPath(new URL('./support/report-undici-dispatcher.ts', import.meta.url));

/**
 * discord.js bundles another undici major, and both share one process-wide default dispatcher that whichever loads
 * first installs. Each order gets a fresh process, so a module graph already loaded cannot hide the other order.
 */
describe('uploads to Discord work whichever undici loads first', () => {
	let discord: DiscordStandIn;
	let modelverse: ModelverseStandIn;
	let dataDir: string;
	let bot: BotProcess | undefined;

	beforeEach(async () => {
		discord = await startDiscordStandIn();
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY });
		dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bot-undici-'));
	});

	afterEach(async () => {
		await bot?.stop('SIGKILL');
		expect(discord.validationFailures).toEqual([]);
		expect(discord.unhandledRoutes).toEqual([]);
		await Promise.all([discord.close(), modelverse.close()]);
		rmSync(dataDir, { recursive: true, force: true });
	});

	it.each([
		['our undici', 'undici', 'ours'],
		['discord.js’s undici', 'discord.js', 'discord.js’s'],
	])('with %s loaded first, the video is uploaded', async (_name, first, owner) => {
		bot = spawnBot(standInEnvironment(discord, modelverse, dataDir), [first, reportDispatcher]);
		expect(await bot.waitForLine('undici global dispatcher:')).toBe(`undici global dispatcher: ${owner}`);
		await bot.waitForLine('bot ready');

		runVideo({ discord }, 'text', { prompt: 'order of imports' });
		const posted = await waitForPostedVideo({ discord });

		expect(posted.attachments).toHaveLength(1);
		const uploaded = await fetchBytes(posted.attachments[0]?.url ?? '');
		const provided = await fetchBytes(modelverse.videoUrl(modelverse.submissions[0]?.taskId ?? ''));
		expect(uploaded.equals(provided)).toBe(true);
	});
});
