import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import { expect } from 'vitest';
import { type Bot, createBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { createBotLogger } from '../src/ops/logger.js';

import { openStore } from '../src/storage/store.js';

import { type DiscordStandIn, startDiscordStandIn } from './discord/index.js';
import { LogCapture } from './log-capture.js';
import {
	type ModelverseStandIn,
	type StandInOptions,
	startModelverseStandIn,
} from './modelverse/modelverse-standin.js';

export const MODELVERSE_TEST_KEY = 'mv-secret-key-4f9d2c7a1b';

export interface HarnessOptions {
	env?: Record<string, string>;
	modelverse?: StandInOptions;
	/** A stand-in Modelverse shared with other bots, as one provider and API key serve several processes; its owner closes it. */
	sharedModelverse?: ModelverseStandIn;
	discord?: Parameters<typeof startDiscordStandIn>[0];
	/**
	 * Opens the bot's store at each start (the first and every restart); production's `openStore` by default. A test
	 * that opens it keeps hold of it, to fail it or to change what is stored beneath the bot, as a disk or an
	 * operator could.
	 */
	openStore?: (databaseUrl: string) => Keyv;
}

export interface Harness {
	discord: DiscordStandIn;
	modelverse: ModelverseStandIn;
	bot: Bot;
	logs: LogCapture;
	/** The bot's SQLite file, for a second connection beside the bot's own (as an operator's `sqlite3` would open it). */
	databaseUrl: string;
	/** Stops the bot and starts a new one on the same data, as a redeploy would. */
	restart(): Promise<Bot>;
	close(): Promise<void>;
	/** Closes everything after checking that Discord would have accepted every request the bot sent. */
	closeChecked(): Promise<void>;
}

/** The settings that point the bot at the stand-ins, with polling fast enough for tests. */
export function standInEnvironment(
	discord: DiscordStandIn,
	modelverse: ModelverseStandIn,
	dataDir: string,
): Record<string, string> {
	return {
		DISCORD_TOKEN: discord.botToken,
		DISCORD_API_URL: discord.apiUrl,
		MODELVERSE_API_KEY: MODELVERSE_TEST_KEY,
		MODELVERSE_BASE_URL: modelverse.baseUrl,
		DATABASE_URL: `sqlite://${join(dataDir, 'bot.sqlite')}`,
		LOG_LEVEL: 'debug',
		POLL_MIN_INTERVAL_MS: '40',
		POLL_MAX_INTERVAL_MS: '200',
		STATUS_QUERIES_PER_SECOND: '100',
		SUBMIT_RETRY_DELAY_MS: '100',
	};
}

/**
 * The real bot, wired exactly as in production, against the stand-in Discord and Modelverse on 127.0.0.1 and a
 * SQLite file of its own. Polling is fast so tests finish quickly; nothing else differs.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
	const discord = await startDiscordStandIn(options.discord);
	const modelverse =
		options.sharedModelverse ?? (await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, ...options.modelverse }));
	const dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bot-test-'));
	const logs = new LogCapture();
	const config = loadConfig({ ...standInEnvironment(discord, modelverse, dataDir), ...options.env });
	const logger = createBotLogger(config, logs);
	const open = options.openStore ?? openStore;
	let bot = createBot(config, logger, open(config.databaseUrl));
	await bot.start();
	let closed: Promise<void> | undefined;
	const close = () => {
		closed ??= (async () => {
			await bot.stop().catch(() => undefined);
			await Promise.all([discord.close(), options.sharedModelverse ? undefined : modelverse.close()]);
			rmSync(dataDir, { recursive: true, force: true });
		})();
		return closed;
	};
	return {
		discord,
		modelverse,
		get bot() {
			return bot;
		},
		logs,
		databaseUrl: config.databaseUrl,
		async restart() {
			await bot.stop();
			bot = createBot(config, logger, open(config.databaseUrl));
			await bot.start();
			return bot;
		},
		close,
		async closeChecked() {
			try {
				expect(discord.validationFailures).toEqual([]);
				expect(discord.unhandledRoutes).toEqual([]);
			} finally {
				await close();
			}
		},
	};
}
