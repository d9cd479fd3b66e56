import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type DiscordStandIn, type DiscordStandInOptions, startDiscordStandIn } from '../../standins/discord/index.js';
import { MODELVERSE_TEST_KEY, standInEnvironment } from '../../standins/harness.js';
import {
	type ModelverseStandIn,
	type StandInOptions,
	startModelverseStandIn,
} from '../../standins/modelverse/modelverse-standin.js';
import { type BotProcess, spawnBot } from './bot-process.js';

export interface ProcessStandIns {
	discord: DiscordStandIn;
	modelverse: ModelverseStandIn;
	dataDir: string;
	/** The settings every start gets; a test may change them between starts. */
	env: Record<string, string>;
	/** Starts the bot as its own process on the same data, `preload` imported first; does not wait for it to be ready. */
	spawn(extraEnv?: Record<string, string>, preload?: string[]): BotProcess;
	/** Starts the bot and waits until it logs that it is ready. */
	start(extraEnv?: Record<string, string>): Promise<BotProcess>;
	/** Kills every bot it started that still runs, checks every request Discord got was valid, and closes everything. */
	close(): Promise<void>;
}

/**
 * The stand-in Discord and Modelverse, a data directory, and the bot run as production runs it, one process a start
 * (several may run at once on the same data). `env` is added to the stand-ins' settings for every start.
 */
export async function startProcessStandIns(
	options: { discord?: DiscordStandInOptions; modelverse?: StandInOptions; env?: Record<string, string> } = {},
): Promise<ProcessStandIns> {
	const discord = await startDiscordStandIn(options.discord);
	const modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, ...options.modelverse });
	const dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bot-process-'));
	const env = { ...standInEnvironment(discord, modelverse, dataDir), ...options.env };
	const started: BotProcess[] = [];
	const spawn = (extraEnv: Record<string, string> = {}, preload: string[] = []) => {
		const bot = spawnBot({ ...env, ...extraEnv }, preload);
		started.push(bot);
		return bot;
	};
	let closed: Promise<void> | undefined;
	return {
		discord,
		modelverse,
		dataDir,
		env,
		spawn,
		async start(extraEnv) {
			const bot = spawn(extraEnv);
			await bot.waitForLine('bot ready');
			return bot;
		},
		close() {
			closed ??= (async () => {
				try {
					await Promise.all(started.map((bot) => bot.stop('SIGKILL')));
					expect(discord.validationFailures).toEqual([]);
					expect(discord.unhandledRoutes).toEqual([]);
				} finally {
					await Promise.all([discord.close(), modelverse.close()]);
					rmSync(dataDir, { recursive: true, force: true });
				}
			})();
			return closed;
		},
	};
}
