import { createBot } from './bot.js';
import { ConfigError, loadConfig } from './config.js';
import { HealthServer } from './ops/health-server.js';
import { createBotLogger } from './ops/logger.js';

const SHUTDOWN_GRACE_MS = 10_000;

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
	const bot = createBot(config, logger);
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
		logger.fatal({ err: error }, 'the bot could not start');
		await bot.stop().catch(() => undefined);
		process.exit(1);
	}
}

await main();
