import { tmpdir } from 'node:os';
import { type Bot, createBot } from '../../../src/bot.js';
import { loadConfig } from '../../../src/config.js';
import { createBotLogger } from '../../../src/ops/logger.js';
import { openStore } from '../../../src/storage/store.js';
import type { DiscordStandIn } from '../../../standins/discord/index.js';
import { standInEnvironment } from '../../../standins/harness.js';
import { LogCapture } from '../../../standins/log-capture.js';
import type { ModelverseStandIn } from '../../../standins/modelverse/modelverse-standin.js';

export interface BotOnStore {
	discord: DiscordStandIn;
	bot: Bot;
	logs: LogCapture;
}

/**
 * The real bot, wired as the harness wires it, on a store of the test's choosing: each call opens its own store, pool
 * and record lock, as a separate process would, so several may share one database and one stand-in Modelverse.
 */
export async function startBotOnStore(options: {
	discord: DiscordStandIn;
	modelverse: ModelverseStandIn;
	databaseUrl: string;
	env?: Record<string, string>;
}): Promise<BotOnStore> {
	const { discord, modelverse, databaseUrl, env } = options;
	const logs = new LogCapture();
	const config = loadConfig({
		...standInEnvironment(discord, modelverse, tmpdir()),
		...env,
		DATABASE_URL: databaseUrl,
	});
	const bot = createBot(config, createBotLogger(config, logs), openStore(config.databaseUrl));
	await bot.start();
	return { discord, bot, logs };
}
