import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const environmentSchema = z.object({
	DISCORD_TOKEN: z.string({ error: 'is required' }).min(1, 'is required'),
	MODELVERSE_API_KEY: z.string({ error: 'is required' }).min(1, 'is required'),
	MODELVERSE_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.modelverse.cn'),
	MODELVERSE_AUTH_SCHEME: z.enum(['raw', 'bearer']).default('raw'),
	MODELVERSE_SUBMIT_TIMEOUT_MS: positiveInt(60_000),
	MODELVERSE_STATUS_TIMEOUT_MS: positiveInt(15_000),
	DISCORD_API_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).optional()),
	DATABASE_URL: z
		.string()
		.regex(/^sqlite:\/\/.+/, 'must be sqlite://<path> (or sqlite://:memory:)')
		.default('sqlite://data/bot.sqlite'),
	COMMAND_GUILD_ID: z.preprocess(emptyAsUnset, snowflake.optional()),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	HEALTH_PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(65_535).optional()),
	HEALTH_HOST: z.string().min(1).default('127.0.0.1'),

	IMAGE_TRANSPORT: z.enum(['base64', 'url']).default('base64'),
	STATUS_QUERIES_PER_SECOND: positiveNumber(10),
	POLL_MIN_INTERVAL_MS: positiveInt(2_000),
	POLL_MAX_INTERVAL_MS: positiveInt(20_000),
	POLL_POLICY: z.enum(['adaptive', 'fixed-interval']).default('adaptive'),
	POLL_FIXED_INTERVAL_MS: positiveInt(5_000),
	SUBMIT_RETRY_DELAY_MS: positiveInt(5_000),
	JOB_DEADLINE_MINUTES: positiveNumber(45),
	DOWNLOAD_TIMEOUT_MS: positiveInt(120_000),
	MAX_VIDEO_BYTES: positiveInt(512 * 1024 * 1024),
	PROGRESS_EDITS_PER_5S: positiveInt(4),

	CREDIT_WEIGHT_360P: positiveNumber(1),
	CREDIT_WEIGHT_540P: positiveNumber(1.4),
	CREDIT_WEIGHT_720P: positiveNumber(1.8),
	CREDIT_WEIGHT_1080P: positiveNumber(3.6),
	CREDIT_AUDIO_FACTOR: positiveNumber(1.3),
	DEFAULT_SERVER_CREDITS: nonNegativeInt(1_000),
	DEFAULT_SERVER_PERIOD: z.enum(['day', 'week', 'month']).default('month'),
	DEFAULT_MEMBER_CREDITS: nonNegativeInt(0),
	SERVER_MONTHLY_CAP: nonNegativeInt(0),
	MAX_RUNNING_JOBS_PER_MEMBER: positiveInt(2),
	MAX_RUNNING_JOBS_PER_SERVER: positiveInt(5),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
	discordToken: string;
	discordApiUrl?: string;
	commandGuildId?: string;
	modelverse: {
		baseUrl: string;
		apiKey: string;
		authScheme: 'raw' | 'bearer';
		submitTimeoutMs: number;
		statusTimeoutMs: number;
	};
	databaseUrl: string;
	logLevel: Environment['LOG_LEVEL'];
	/** The /healthz and /metrics listener; off when HEALTH_PORT is unset. */
	health?: { port: number; host: string };
	imageTransport: 'base64' | 'url';
	polling: {
		queriesPerSecond: number;
		minIntervalMs: number;
		maxIntervalMs: number;
		/** `fixed-interval` polls every job every `fixedIntervalMs`, as public clients do: the benchmark's baseline. */
		policy: 'adaptive' | 'fixed-interval';
		fixedIntervalMs: number;
	};
	submitRetryDelayMs: number;
	jobDeadlineMs: number;
	downloadTimeoutMs: number;
	maxVideoBytes: number;
	progressEditsPer5s: number;
	credits: {
		weights: { resolution: Record<'360p' | '540p' | '720p' | '1080p', number>; audioFactor: number };
		defaultServerCredits: number;
		defaultServerPeriod: 'day' | 'week' | 'month';
		defaultMemberCredits: number;
		serverMonthlyCap: number;
		maxRunningPerMember: number;
		maxRunningPerServer: number;
	};
}

export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`The bot cannot start; fix these settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
	const parsed = environmentSchema.safeParse(env);
	if (!parsed.success) {
		throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
	}
	const e = parsed.data;
	if (e.POLL_MIN_INTERVAL_MS > e.POLL_MAX_INTERVAL_MS) {
		throw new ConfigError(['POLL_MIN_INTERVAL_MS must not be larger than POLL_MAX_INTERVAL_MS']);
	}
	return {
		discordToken: e.DISCORD_TOKEN,
		...(e.DISCORD_API_URL ? { discordApiUrl: e.DISCORD_API_URL.replace(/\/$/, '') } : {}),
		...(e.COMMAND_GUILD_ID ? { commandGuildId: e.COMMAND_GUILD_ID } : {}),
		modelverse: {
			baseUrl: e.MODELVERSE_BASE_URL.replace(/\/$/, ''),
			apiKey: e.MODELVERSE_API_KEY,
			authScheme: e.MODELVERSE_AUTH_SCHEME,
			submitTimeoutMs: e.MODELVERSE_SUBMIT_TIMEOUT_MS,
			statusTimeoutMs: e.MODELVERSE_STATUS_TIMEOUT_MS,
		},
		databaseUrl: e.DATABASE_URL,
		logLevel: e.LOG_LEVEL,
		...(e.HEALTH_PORT ? { health: { port: e.HEALTH_PORT, host: e.HEALTH_HOST } } : {}),
		imageTransport: e.IMAGE_TRANSPORT,
		polling: {
			queriesPerSecond: e.STATUS_QUERIES_PER_SECOND,
			minIntervalMs: e.POLL_MIN_INTERVAL_MS,
			maxIntervalMs: e.POLL_MAX_INTERVAL_MS,
			policy: e.POLL_POLICY,
			fixedIntervalMs: e.POLL_FIXED_INTERVAL_MS,
		},
		submitRetryDelayMs: e.SUBMIT_RETRY_DELAY_MS,
		jobDeadlineMs: Math.round(e.JOB_DEADLINE_MINUTES * 60_000),
		downloadTimeoutMs: e.DOWNLOAD_TIMEOUT_MS,
		maxVideoBytes: e.MAX_VIDEO_BYTES,
		progressEditsPer5s: e.PROGRESS_EDITS_PER_5S,
		credits: {
			weights: {
				resolution: {
					'360p': e.CREDIT_WEIGHT_360P,
					'540p': e.CREDIT_WEIGHT_540P,
					'720p': e.CREDIT_WEIGHT_720P,
					'1080p': e.CREDIT_WEIGHT_1080P,
				},
				audioFactor: e.CREDIT_AUDIO_FACTOR,
			},
			defaultServerCredits: e.DEFAULT_SERVER_CREDITS,
			defaultServerPeriod: e.DEFAULT_SERVER_PERIOD,
			defaultMemberCredits: e.DEFAULT_MEMBER_CREDITS,
			serverMonthlyCap: e.SERVER_MONTHLY_CAP,
			maxRunningPerMember: e.MAX_RUNNING_JOBS_PER_MEMBER,
			maxRunningPerServer: e.MAX_RUNNING_JOBS_PER_SERVER,
		},
	};
}
