import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bot, createBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { createBotLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/storage/store.js';
import type { DiscordStandIn } from '../../standins/discord/index.js';
import { standInEnvironment } from '../../standins/harness.js';
import { LogCapture } from '../../standins/log-capture.js';
import type { ModelverseStandIn } from '../../standins/modelverse/modelverse-standin.js';

export interface BotAgainstStandIns {
	bot: Bot;
	logs: LogCapture;
	/** Stops the bot and deletes its data; the stand-ins stay, for the other bots on them. */
	close(): Promise<void>;
}

/**
 * One more bot, wired as in production, against stand-ins already running (several bots may share them, as several
 * processes share one Discord), with a SQLite store of its own in a temporary directory.
 */
export async function startBotAgainst(
	discord: DiscordStandIn,
	modelverse: ModelverseStandIn,
	env: Record<string, string>,
): Promise<BotAgainstStandIns> {
	const dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bot-shard-'));
	const logs = new LogCapture();
	const config = loadConfig({ ...standInEnvironment(discord, modelverse, dataDir), ...env });
	const bot = createBot(config, createBotLogger(config, logs), openStore(config.databaseUrl));
	const close = async () => {
		await bot.stop().catch(() => undefined);
		rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		await bot.start();
	} catch (error) {
		await close();
		throw error;
	}
	return { bot, logs, close };
}
