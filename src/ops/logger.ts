import { type DestinationStream, type Logger, pino } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config } from '../config.js';
import { databasePasswords } from '../storage/postgres-store.js';

export type { Logger };

export interface LoggerOptions {
	level: string;
	/** Values that must never reach a log line, whatever field or error message they hide in. */
	secrets: string[];
	destination?: DestinationStream;
	/** Human-readable lines instead of JSON; by default only when writing to a terminal. */
	pretty?: boolean;
	/** Fields every line carries, to tell this process's lines from its siblings'. */
	fields?: Record<string, unknown>;
}

const interactionTokenInPath = /\/(webhooks|interactions)\/(\d+)\/[\w.-]{20,}/g;

/** Masks secrets in the finished line, so a key inside an error message or URL is caught too, not only known fields. */
export function redactLine(line: string, secrets: readonly string[]): string {
	let safe = line.replace(interactionTokenInPath, '/$1/$2/[token]');
	for (const secret of secrets) {
		if (secret.length >= 4) safe = safe.replaceAll(secret, '[redacted]');
	}
	return safe;
}

/** discord.js errors carry the whole request body, uploads included: megabytes of video and a member's text. */
function serializeError(error: unknown): unknown {
	const serialized = pino.stdSerializers.err(error as Error) as Record<string, unknown>;
	delete serialized.requestBody;
	return serialized;
}

export function createLogger(options: LoggerOptions): Logger {
	const secrets = options.secrets.filter(Boolean);
	return pino(
		{
			level: options.level,
			base: options.fields ?? null,
			serializers: { err: serializeError },
			redact: {
				paths: ['token', '*.token', 'authorization', '*.authorization', 'apiKey', '*.apiKey'],
				censor: '[redacted]',
			},
			hooks: { streamWrite: (line) => redactLine(line, secrets) },
		},
		outputStream(options),
	);
}

/**
 * Pretty output is prettified in-process rather than by a transport worker, because index.ts ends with process.exit,
 * which would drop lines still queued in a worker. Secrets are masked before either form is written.
 */
function outputStream({ destination, pretty }: LoggerOptions): DestinationStream {
	const wantsPretty = pretty ?? (destination === undefined && process.stdout.isTTY === true);
	if (!wantsPretty) return destination ?? pino.destination(1);
	return pinoPretty({ destination: destination ?? 1, sync: true, translateTime: 'SYS:HH:MM:ss.l' });
}

/**
 * Which shards a sharded bot's lines come from, as several processes' logs are read together; a bot of one shard
 * (the default) has only one process to tell apart, and keeps its lines as they were.
 */
function shardFields({ shards }: Config): Record<string, unknown> | undefined {
	if (shards === 'auto') return { shards: 'auto' };
	return shards.count > 1 ? { shards: shards.ids, shardCount: shards.count } : undefined;
}

/**
 * The bot's logger: the Discord token, the Modelverse key, Redis's password and the database's password are masked
 * wherever they appear.
 */
export function createBotLogger(config: Config, destination?: DestinationStream): Logger {
	const fields = shardFields(config);
	return createLogger({
		level: config.logLevel,
		secrets: [
			config.discordToken,
			config.modelverse.apiKey,
			config.redisUrl ? decodeURIComponent(new URL(config.redisUrl).password) : '',
			...databasePasswords(config.databaseUrl),
		],
		...(fields ? { fields } : {}),
		...(destination ? { destination } : {}),
	});
}
