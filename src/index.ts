import type Keyv from 'keyv';
import { createBot } from './bot.js';
import { ConfigError, loadConfig } from './config.js';
import { HealthServer } from './ops/health-server.js';
import { createBotLogger, type Logger } from './ops/logger.js';
import { openStore, StoreOpenError } from './storage/store.js';

const SHUTDOWN_GRACE_MS = 10_000;

/** Whatever escaped every handler: one structured line (secrets masked by the logger), then a non-zero exit. */
function exitOnStrayErrors(logger: Logger): void {
	process.on('unhandledRejection', (reason) => {
		logger.fatal({ err: reason }, 'unhandled rejection; the bot stops');
		process.exit(1);
	});
	process.on('uncaughtException', (error) => {
		logger.fatal({ err: error }, 'uncaught exception; the bot stops');
		process.exit(1);
	});
}

/** The one fatal line for a start that failed; a database that cannot be opened names its path and the fix. */
function logStartFailure(logger: Logger, error: unknown): void {
	if (error instanceof StoreOpenError) {
		const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
		logger.fatal({ path: error.path, fix: error.fix, cause }, 'the database cannot be opened; the bot stops');
	} else {
		logger.fatal({ err: error }, 'the bot could not start');
	}
}

async function main(): Promise<void> {
	let config: ReturnType<typeof loadConfig>;
	try {
		config = loadConfig(process.env);
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		console.error(error.message);
		process.exit(1);
	}
	const logger = createBotLogger(config);
	exitOnStrayErrors(logger);
	let store: Keyv;
	try {
		store = openStore(config.databaseUrl);
	} catch (error) {
		logStartFailure(logger, error);
		process.exit(1);
	}
	const bot = createBot(config, logger, store);
	let health: HealthServer | undefined;

	let stopping = false;
	const shutdown = (signal: string) => {
		if (stopping) return;
		stopping = true;
		logger.info({ signal }, 'shutting down');
		setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
		Promise.all([health?.stop(), bot.stop()]).then(
			() => process.exit(0),
			(error: unknown) => {
				logger.error({ err: error }, 'shutdown failed');
				process.exit(1);
			},
		);
	};
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	process.on('SIGINT', () => shutdown('SIGINT'));

	try {
		await bot.start();
		if (config.health) {
			health = await HealthServer.start({
				...config.health,
				checks: bot.healthChecks,
				metrics: bot.metrics,
				logger,
			});
		}
	} catch (error) {
		logStartFailure(logger, error);
		await bot.stop().catch(() => undefined);
		process.exit(1);
	}
}

await main();
