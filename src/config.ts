import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CREDIT_WEIGHTS, QUOTA_PERIODS } from './domain/quota.js';
import type { Resolution } from './domain/video.js';
import { AUTH_SCHEMES, DEFAULT_MODELVERSE_CLIENT_OPTIONS } from './modelverse/client.js';
import { IMAGE_TRANSPORTS } from './modelverse/wire.js';
import { isPostgresUrl } from './storage/postgres-store.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);
const decodesAsPassword = (url: string) => {
	try {
		decodeURIComponent(new URL(url).password);
		return true;
	} catch {
		return false;
	}
};
const redisUrl = z
	.url({ protocol: /^rediss?$/, error: 'must be redis://… or rediss://…' })
	// The logger masks the password as Redis receives it: decoded.
	.refine(decodesAsPassword, 'has a password that is not valid percent-encoding');
const httpUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/$/, ''));
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const creditWeight = (resolution: Resolution) => positiveNumber(DEFAULT_CREDIT_WEIGHTS.resolution[resolution]);
const commaSeparated = (value: unknown) => {
	const unset = emptyAsUnset(value);
	if (typeof unset !== 'string') return unset;
	const items = unset
		.split(',')
		.map((item) => item.trim())
		.filter((item) => item !== '');
	return items.length === 0 ? undefined : items;
};

const shardNumbers = 'must list shard numbers (0, 1, 2, …) separated by commas';
const shardId = z.coerce.number({ error: shardNumbers }).int(shardNumbers).nonnegative(shardNumbers);
const shardCountProblem = 'must be a whole number of 1 or more, or auto';

/** One term per line; blank lines and lines starting with `#` (comments) are left out. */
function blocklistTerms(text: string): string[] {
	return text
		.replace(/^\uFEFF/, '')
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('#'));
}

/** The operator's blocked terms are read once, at start-up: a file that cannot be read is a setting to fix. */
const blocklistFile = z.string().transform((file, context) => {
	try {
		return { file, terms: blocklistTerms(readFileSync(file, 'utf8')) };
	} catch (error) {
		const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
		context.issues.push({ code: 'custom', message: `cannot be read (${reason}): ${file}`, input: file });
		return z.NEVER;
	}
});

/** Every setting the environment can give, with its default; `npm run deploy-commands` picks the few it needs. */
export const environmentSchema = z.object({
	DISCORD_TOKEN: z.string({ error: 'is required' }).min(1, 'is required'),
	MODELVERSE_API_KEY: z.string({ error: 'is required' }).min(1, 'is required'),
	MODELVERSE_BASE_URL: httpUrl.default('https://api.modelverse.cn'),
	MODELVERSE_AUTH_SCHEME: z.enum(AUTH_SCHEMES).default('raw'),
	MODELVERSE_SUBMIT_TIMEOUT_MS: positiveInt(DEFAULT_MODELVERSE_CLIENT_OPTIONS.submitTimeoutMs),
	MODELVERSE_STATUS_TIMEOUT_MS: positiveInt(DEFAULT_MODELVERSE_CLIENT_OPTIONS.statusTimeoutMs),
	MODELVERSE_KEY_CHECK_RETRY_MS: positiveInt(5_000),
	MODELVERSE_KEY_CHECK_RETRY_MAX_MS: positiveInt(300_000),
	DISCORD_API_URL: z.preprocess(emptyAsUnset, httpUrl.optional()),
	DATABASE_URL: z
		.string()
		.regex(/^(sqlite|postgres|postgresql):\/\/.+/, 'must be sqlite://<path> (or sqlite://:memory:) or postgres://…')
		.default('sqlite://data/bot.sqlite'),
	REDIS_URL: z.preprocess(emptyAsUnset, redisUrl.optional()),
	COMMAND_GUILD_ID: z.preprocess(emptyAsUnset, snowflake.optional()),
	INSTANCE_ID: z.preprocess(
		emptyAsUnset,
		z
			.string()
			.regex(/^[\w.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
			.optional(),
	),
	OWNER_LEASE_SECONDS: positiveInt(30),
	ALLOWED_GUILD_IDS: z.preprocess(commaSeparated, z.array(snowflake).optional()),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	HEALTH_PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(65_535).optional()),
	HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
	BLOCKLIST_FILE: z.preprocess(emptyAsUnset, blocklistFile.optional()),
	SHARD_COUNT: z.preprocess(
		emptyAsUnset,
		z
			.union([z.literal('auto'), z.coerce.number().int(shardCountProblem).positive(shardCountProblem)], {
				error: shardCountProblem,
			})
			.default(1),
	),
	SHARD_IDS: z.preprocess(commaSeparated, z.array(shardId).optional()),

	IMAGE_TRANSPORT: z.enum(IMAGE_TRANSPORTS).default('base64'),
	IMAGE_JOBS_AT_ONCE: positiveInt(1),
	STATUS_QUERIES_PER_SECOND: positiveNumber(10),
	POLL_MIN_INTERVAL_MS: positiveInt(2_000),
	POLL_MAX_INTERVAL_MS: positiveInt(20_000),
	POLL_POLICY: z.enum(['adaptive', 'fixed-interval']).default('adaptive'),
	POLL_FIXED_INTERVAL_MS: positiveInt(5_000),
	SUBMIT_RETRY_DELAY_MS: positiveInt(5_000),
	JOB_DEADLINE_MINUTES: positiveNumber(45),
	DOWNLOAD_TIMEOUT_MS: positiveInt(120_000),
	MAX_VIDEO_BYTES: positiveInt(512 * 1024 * 1024),
	RESULT_URL_LIFETIME_HOURS: positiveNumber(24),
	DELIVERY_RETRY_MIN_MS: positiveInt(2_000),
	DELIVERY_RETRY_MAX_MS: positiveInt(300_000),
	DISCORD_REST_TIMEOUT_MS: positiveInt(15_000),

	CREDIT_WEIGHT_360P: creditWeight('360p'),
	CREDIT_WEIGHT_540P: creditWeight('540p'),
	CREDIT_WEIGHT_720P: creditWeight('720p'),
	CREDIT_WEIGHT_1080P: creditWeight('1080p'),
	CREDIT_AUDIO_FACTOR: positiveNumber(DEFAULT_CREDIT_WEIGHTS.audioFactor),
	DEFAULT_SERVER_CREDITS: nonNegativeInt(1_000),
	DEFAULT_SERVER_PERIOD: z.enum(QUOTA_PERIODS).default('month'),
	DEFAULT_MEMBER_CREDITS: nonNegativeInt(0),
	SERVER_MONTHLY_CAP: nonNegativeInt(2_000),
	MONTHLY_CREDIT_CAP: nonNegativeInt(20_000),
	MAX_RUNNING_JOBS_PER_MEMBER: positiveInt(2),
	MAX_RUNNING_JOBS_PER_SERVER: positiveInt(5),
	MAX_QUEUED_JOBS_PER_MEMBER: nonNegativeInt(3),
	QUEUE_DEADLINE_MINUTES: positiveNumber(45),
});

const pollRange = ['POLL_MIN_INTERVAL_MS', 'POLL_MAX_INTERVAL_MS'];
const range = (count: number) => Array.from({ length: count }, (_, index) => index);
const shardSettings = ['SHARD_COUNT', 'SHARD_IDS'];

/** Why SHARD_IDS does not fit SHARD_COUNT, if it does not; checked beside the other problems, as the poll range is. */
function shardIdsProblem(
	count: number | 'auto',
	ids: readonly number[] | undefined,
	postgresWithoutRedis: boolean,
): string | undefined {
	if (ids === undefined) return undefined;
	if (count === 'auto') return 'needs a number in SHARD_COUNT, not auto: every process must agree on the count';
	const outside = ids.filter((id) => id >= count);
	if (outside.length > 0) return `must each be below SHARD_COUNT (${count}): ${outside.join(', ')}`;
	if (new Set(ids).size !== ids.length) return 'must not name a shard twice';
	// Without the queue a process takes every open job in its store as its own: on one database, its siblings' too.
	if (ids.length < count && postgresWithoutRedis) {
		return 'leaves shards to other processes, which on one PostgreSQL database need REDIS_URL to share the open jobs';
	}
	return undefined;
}

const configSchema = environmentSchema
	.refine((e) => e.POLL_MIN_INTERVAL_MS <= e.POLL_MAX_INTERVAL_MS, {
		path: ['POLL_MIN_INTERVAL_MS'],
		message: 'must not be larger than POLL_MAX_INTERVAL_MS',
		// Checked beside the other problems, so one start lists them all, unless a bound is itself malformed.
		when: ({ issues }) => !issues.some((issue) => pollRange.includes(String(issue.path?.[0]))),
	})
	.superRefine(
		(e, context) => {
			const postgresWithoutRedis = e.REDIS_URL === undefined && isPostgresUrl(e.DATABASE_URL);
			const problem = shardIdsProblem(e.SHARD_COUNT, e.SHARD_IDS, postgresWithoutRedis);
			if (problem) context.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: problem, input: e.SHARD_IDS });
		},
		{
			when: ({ issues }) => !issues.some((issue) => shardSettings.includes(String(issue.path?.[0]))),
		},
	)
	.transform((e) => ({
		discordToken: e.DISCORD_TOKEN,
		...(e.DISCORD_API_URL ? { discordApiUrl: e.DISCORD_API_URL } : {}),
		...(e.COMMAND_GUILD_ID ? { commandGuildId: e.COMMAND_GUILD_ID } : {}),
		/** Servers the bot serves; unset serves every server that adds it. */
		...(e.ALLOWED_GUILD_IDS ? { allowedGuildIds: e.ALLOWED_GUILD_IDS } : {}),
		/**
		 * The gateway shards this process runs, of `count` for the whole bot; `auto` runs every shard Discord recommends
		 * (`GET /gateway/bot`) in this one process.
		 */
		shards:
			e.SHARD_COUNT === 'auto' ? ('auto' as const) : { count: e.SHARD_COUNT, ids: e.SHARD_IDS ?? range(e.SHARD_COUNT) },
		/** Terms blocked in every server, from the operator's BLOCKLIST_FILE (none when unset). */
		operatorBlocklist: e.BLOCKLIST_FILE ?? { terms: [] },
		modelverse: {
			baseUrl: e.MODELVERSE_BASE_URL,
			apiKey: e.MODELVERSE_API_KEY,
			authScheme: e.MODELVERSE_AUTH_SCHEME,
			submitTimeoutMs: e.MODELVERSE_SUBMIT_TIMEOUT_MS,
			statusTimeoutMs: e.MODELVERSE_STATUS_TIMEOUT_MS,
		},
		/** How soon, and at most how far apart, the API key is checked again when Modelverse did not answer at start-up. */
		keyCheckRetry: { firstDelayMs: e.MODELVERSE_KEY_CHECK_RETRY_MS, maxDelayMs: e.MODELVERSE_KEY_CHECK_RETRY_MAX_MS },
		databaseUrl: e.DATABASE_URL,
		/** Where processes on the same API key share the status-query budget; unset, this process spends it alone. */
		...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
		/** The owner id of this process's jobs; unset derives it from the gateway shards the process runs. */
		...(e.INSTANCE_ID ? { instanceId: e.INSTANCE_ID } : {}),
		/** How long a process's jobs stay its own after its last sign of life; renewed every third of it. */
		ownerLeaseMs: e.OWNER_LEASE_SECONDS * 1000,
		logLevel: e.LOG_LEVEL,
		/** The /healthz and /metrics listener; off when HEALTH_PORT is unset. */
		...(e.HEALTH_PORT ? { health: { port: e.HEALTH_PORT, host: e.HEALTH_HOST } } : {}),
		imageTransport: e.IMAGE_TRANSPORT,
		/** Jobs whose images are held in memory (downloaded, scaled, sent) at once; the others wait their turn. */
		imageJobsAtOnce: e.IMAGE_JOBS_AT_ONCE,
		polling: {
			queriesPerSecond: e.STATUS_QUERIES_PER_SECOND,
			minIntervalMs: e.POLL_MIN_INTERVAL_MS,
			maxIntervalMs: e.POLL_MAX_INTERVAL_MS,
			/** `fixed-interval` polls every job every `fixedIntervalMs`, as public clients do: the benchmark's baseline. */
			policy: e.POLL_POLICY,
			fixedIntervalMs: e.POLL_FIXED_INTERVAL_MS,
		},
		submitRetryDelayMs: e.SUBMIT_RETRY_DELAY_MS,
		jobDeadlineMs: Math.round(e.JOB_DEADLINE_MINUTES * 60_000),
		/** How long a job may wait in its server's line before it ends, credits returned. */
		lineDeadlineMs: Math.round(e.QUEUE_DEADLINE_MINUTES * 60_000),
		downloadTimeoutMs: e.DOWNLOAD_TIMEOUT_MS,
		maxVideoBytes: e.MAX_VIDEO_BYTES,
		/** How long the provider's result URL works: a video is delivered (retried) until then. */
		resultUrlLifetimeMs: Math.round(e.RESULT_URL_LIFETIME_HOURS * 3_600_000),
		deliveryRetry: { minMs: e.DELIVERY_RETRY_MIN_MS, maxMs: e.DELIVERY_RETRY_MAX_MS },
		discordRestTimeoutMs: e.DISCORD_REST_TIMEOUT_MS,
		credits: {
			weights: {
				resolution: {
					'360p': e.CREDIT_WEIGHT_360P,
					'540p': e.CREDIT_WEIGHT_540P,
					'720p': e.CREDIT_WEIGHT_720P,
					'1080p': e.CREDIT_WEIGHT_1080P,
				} satisfies Record<Resolution, number>,
				audioFactor: e.CREDIT_AUDIO_FACTOR,
			},
			defaultServerCredits: e.DEFAULT_SERVER_CREDITS,
			defaultServerPeriod: e.DEFAULT_SERVER_PERIOD,
			defaultMemberCredits: e.DEFAULT_MEMBER_CREDITS,
			serverMonthlyCap: e.SERVER_MONTHLY_CAP,
			/** Every server together per calendar month: the operator's bill. */
			monthlyCreditCap: e.MONTHLY_CREDIT_CAP,
			maxRunningPerMember: e.MAX_RUNNING_JOBS_PER_MEMBER,
			maxRunningPerServer: e.MAX_RUNNING_JOBS_PER_SERVER,
			/** Jobs one member may have waiting in the server's line for a running slot; 0 refuses them instead. */
			maxQueuedPerMember: e.MAX_QUEUED_JOBS_PER_MEMBER,
		},
	}));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`The bot cannot start; fix these settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

/** One line per problem, named by its variable: `COMMAND_GUILD_ID must be a Discord id (17 to 20 digits)`. */
export function settingProblems(error: z.ZodError): string[] {
	return error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
	const parsed = configSchema.safeParse(env);
	if (!parsed.success) throw new ConfigError(settingProblems(parsed.error));
	return parsed.data;
}
