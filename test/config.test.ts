import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { blocklistFile } from './support/blocklist-file.js';
import { spawnBot } from './support/bot-process.js';

const required = { DISCORD_TOKEN: 'token', MODELVERSE_API_KEY: 'key' };

describe('settings', () => {
	it('fills every default from the product spec when only the two secrets are given', () => {
		const config = loadConfig(required);
		expect(config.modelverse).toMatchObject({ baseUrl: 'https://api.modelverse.cn', authScheme: 'raw' });
		expect(config.databaseUrl).toBe('sqlite://data/bot.sqlite');
		expect(config.jobDeadlineMs).toBe(45 * 60_000);
		expect(config.credits.weights).toEqual({
			resolution: { '360p': 1, '540p': 1.4, '720p': 1.8, '1080p': 3.6 },
			audioFactor: 1.3,
		});
		expect(config).not.toHaveProperty('commandGuildId');
	});

	it('lists every problem at once', () => {
		let error: unknown;
		try {
			loadConfig({
				MODELVERSE_BASE_URL: 'ftp://example.com',
				MODELVERSE_AUTH_SCHEME: 'basic',
				COMMAND_GUILD_ID: '12',
				STATUS_QUERIES_PER_SECOND: '-1',
				POLL_MIN_INTERVAL_MS: '5000',
				POLL_MAX_INTERVAL_MS: '1000',
			});
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const problems = (error as ConfigError).problems.join('\n');
		for (const name of [
			'DISCORD_TOKEN',
			'MODELVERSE_API_KEY',
			'MODELVERSE_BASE_URL',
			'MODELVERSE_AUTH_SCHEME',
			'COMMAND_GUILD_ID',
			'STATUS_QUERIES_PER_SECOND',
			'POLL_MIN_INTERVAL_MS must not be larger than POLL_MAX_INTERVAL_MS',
		]) {
			expect(problems).toContain(name);
		}
	});

	it('reads the operator’s BLOCKLIST_FILE: one term per line, blank lines and # comments left out', () => {
		const file = blocklistFile([
			'\uFEFF# blocked everywhere',
			'nightshade',
			'',
			'   ',
			'  blood bath  ',
			'#gore',
			'机密\r',
		]);
		expect(loadConfig({ ...required, BLOCKLIST_FILE: file }).operatorBlocklist).toEqual({
			file,
			terms: ['nightshade', 'blood bath', '机密'],
		});
		expect(loadConfig(required).operatorBlocklist).toEqual({ terms: [] });
	});

	it('lists a BLOCKLIST_FILE that cannot be read among the other problems', () => {
		let error: unknown;
		try {
			loadConfig({ MODELVERSE_API_KEY: 'key', BLOCKLIST_FILE: '/nonexistent/blocklist.txt' });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).problems).toEqual([
			'DISCORD_TOKEN is required',
			'BLOCKLIST_FILE cannot be read (ENOENT): /nonexistent/blocklist.txt',
		]);
	});

	it('refuses a poll range whose minimum is above its maximum', () => {
		expect(() => loadConfig({ ...required, POLL_MIN_INTERVAL_MS: '5000', POLL_MAX_INTERVAL_MS: '1000' })).toThrow(
			ConfigError,
		);
	});

	it('runs every shard of one (one shard by default), the shards SHARD_IDS names, or auto', () => {
		expect(loadConfig(required).shards).toEqual({ count: 1, ids: [0] });
		expect(loadConfig({ ...required, SHARD_COUNT: '4' }).shards).toEqual({ count: 4, ids: [0, 1, 2, 3] });
		const shared = { DATABASE_URL: 'postgres://bot@db:5432/bot', REDIS_URL: 'redis://127.0.0.1:6379' };
		// Each process on a SQLite file of its own, or all on PostgreSQL sharing the open jobs through Redis.
		expect(loadConfig({ ...required, SHARD_COUNT: '2', SHARD_IDS: '1' }).shards).toEqual({ count: 2, ids: [1] });
		expect(loadConfig({ ...required, ...shared, SHARD_COUNT: '4', SHARD_IDS: ' 3, 1 ' }).shards).toEqual({
			count: 4,
			ids: [3, 1],
		});
		expect(loadConfig({ ...required, SHARD_COUNT: 'auto' }).shards).toBe('auto');
		expect(loadConfig({ ...required, SHARD_COUNT: '', SHARD_IDS: '' }).shards).toEqual({ count: 1, ids: [0] });
	});

	it.each([
		[{ SHARD_COUNT: '0' }, 'SHARD_COUNT must be a whole number of 1 or more, or auto'],
		[{ SHARD_COUNT: '2.5' }, 'SHARD_COUNT must be a whole number of 1 or more, or auto'],
		[{ SHARD_COUNT: 'many' }, 'SHARD_COUNT must be a whole number of 1 or more, or auto'],
		[{ SHARD_COUNT: '2', SHARD_IDS: '0,x' }, 'SHARD_IDS.1 must list shard numbers (0, 1, 2, …) separated by commas'],
		[{ SHARD_COUNT: '2', SHARD_IDS: '-1' }, 'SHARD_IDS.0 must list shard numbers (0, 1, 2, …) separated by commas'],
		[{ SHARD_COUNT: '2', SHARD_IDS: '0,2,5' }, 'SHARD_IDS must each be below SHARD_COUNT (2): 2, 5'],
		[{ SHARD_IDS: '1' }, 'SHARD_IDS must each be below SHARD_COUNT (1): 1'],
		[{ SHARD_COUNT: '3', SHARD_IDS: '1,2,1' }, 'SHARD_IDS must not name a shard twice'],
		[
			{ SHARD_COUNT: '2', SHARD_IDS: '0', DATABASE_URL: 'postgres://bot@db:5432/bot' },
			'SHARD_IDS leaves shards to other processes, which on one PostgreSQL database need REDIS_URL to share the open jobs',
		],
		[
			{ SHARD_COUNT: 'auto', SHARD_IDS: '1' },
			'SHARD_IDS needs a number in SHARD_COUNT, not auto: every process must agree on the count',
		],
	])('refuses shard settings that do not fit together: %o', (settings, problem) => {
		let error: unknown;
		try {
			loadConfig({ MODELVERSE_API_KEY: 'key', ...settings });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).problems).toEqual(['DISCORD_TOKEN is required', problem]);
	});

	it('shares the status-query budget through REDIS_URL only when it is a redis:// or rediss:// URL', () => {
		expect(loadConfig(required)).not.toHaveProperty('redisUrl');
		expect(loadConfig({ ...required, REDIS_URL: '' })).not.toHaveProperty('redisUrl');
		expect(loadConfig({ ...required, REDIS_URL: 'rediss://:pw@cache.example:6380/2' }).redisUrl).toBe(
			'rediss://:pw@cache.example:6380/2',
		);
		expect(() => loadConfig({ ...required, REDIS_URL: 'http://cache.example:6379' })).toThrow(
			'REDIS_URL must be redis://… or rediss://…',
		);
		expect(() => loadConfig({ ...required, REDIS_URL: 'redis://:%E0%A4%A@cache.example' })).toThrow(
			'REDIS_URL has a password that is not valid percent-encoding',
		);
	});

	it('stops the bot before it starts, with one message and a non-zero exit, and no secret printed', async () => {
		const bot = spawnBot({ MODELVERSE_API_KEY: 'mv-do-not-print-me', COMMAND_GUILD_ID: 'abc' });
		const ended = await bot.ended();
		expect(ended.code).toBe(1);
		const output = bot.lines.join('\n');
		expect(output).toContain('DISCORD_TOKEN is required');
		expect(output).toContain('COMMAND_GUILD_ID');
		expect(output).not.toContain('mv-do-not-print-me');
	});
});
