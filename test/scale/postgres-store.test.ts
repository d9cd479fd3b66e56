import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStore } from '../../src/doctor/check-store.js';
import type { HealthCheck } from '../../src/ops/health-checks.js';
import { deleteExpiredEntries } from '../../src/storage/expired-entries.js';
import { openStore, UnreadableValue } from '../../src/storage/store.js';
import { startDiscordStandIn } from '../../standins/discord/index.js';
import { MODELVERSE_TEST_KEY } from '../../standins/harness.js';
import { startModelverseStandIn } from '../../standins/modelverse/modelverse-standin.js';
import { type PostgresServer, startPostgresServer } from '../../standins/servers/postgres-server.js';
import { startBotAgainst } from '../support/bot-against-stand-ins.js';
import { startProcessStandIns } from '../support/process-stand-ins.js';
import { RawStore } from '../support/raw-store.js';
import { migrateStore } from './support/migrate-store-cli.js';

const WRONG_PASSWORD = 'not-the-password-7c1e';

let server: PostgresServer;
let dataDir: string;

beforeAll(async () => {
	server = await startPostgresServer();
	dataDir = mkdtempSync(join(tmpdir(), 'pixverse-migrate-'));
});

afterAll(async () => {
	await server?.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

/** One statement on a connection of its own, beside the bot's, as an operator's `psql` would run it. */
async function sql(url: string, statement: string): Promise<Array<{ key: string; value: string }>> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query<{ key: string; value: string }>(statement)).rows;
	} finally {
		await client.end();
	}
}

/** The bot's store on a new database, closed after `use`. */
async function withStore(database: string, use: (store: Keyv, url: string) => Promise<void>): Promise<void> {
	const url = await server.createDatabase(database);
	const store = openStore(url);
	try {
		await use(store, url);
	} finally {
		await store.disconnect();
	}
}

const rowsIn = (url: string) => sql(url, 'SELECT key, value FROM keyv ORDER BY key');

describe('the store on PostgreSQL', () => {
	it('passes the doctor, and a wrong password or a stopped server fails it in one line without the password', async () => {
		const url = await server.createDatabase('doctor');
		const ok = await checkStore(url);
		expect(ok).toEqual({
			ok: true,
			label: 'store',
			detail: `wrote, read and deleted a key in postgres://bot:***@127.0.0.1:${server.port}/doctor (PostgreSQL)`,
		});

		const wrongPassword = url.replace(server.password, WRONG_PASSWORD);
		const refused = await checkStore(wrongPassword);
		expect(refused.ok).toBe(false);
		expect(refused.detail).toContain(`postgres://bot:***@127.0.0.1:${server.port}/doctor cannot be opened`);
		expect(refused.detail).toContain('password authentication failed for user "bot"');

		const stopped = await checkStore(url.replace(`:${server.port}/`, ':1/'));
		expect(stopped.ok).toBe(false);
		expect(stopped.detail).toContain('must be reachable');
		expect(stopped.detail).toContain('ECONNREFUSED');

		for (const result of [ok, refused, stopped]) {
			expect(result.detail).not.toContain(server.password);
			expect(result.detail).not.toContain(WRONG_PASSWORD);
			expect(result.detail).not.toContain('\n');
		}
	});

	it('a bot refused by PostgreSQL (a wrong password, a server that is down) stops with one fatal line, no password in it', async () => {
		const url = await server.createDatabase('refusing');
		const world = await startProcessStandIns();
		try {
			for (const databaseUrl of [
				url.replace(server.password, WRONG_PASSWORD),
				url.replace(`:${server.port}/`, ':1/'),
			]) {
				const bot = world.spawn({ DATABASE_URL: databaseUrl });
				expect(await bot.ended()).toMatchObject({ code: 1 });
				const fatal = bot.lines.filter((line) => line.includes('"level":60'));
				expect(fatal).toHaveLength(1);
				expect(JSON.parse(fatal[0] ?? '{}')).toMatchObject({
					msg: 'the database cannot be opened; the bot stops',
					path: expect.stringMatching(/^postgres:\/\/bot:\*\*\*@127\.0\.0\.1:\d+\/refusing$/),
					fix: expect.stringContaining('must be reachable and accept the user and password'),
				});
				for (const line of bot.lines) {
					expect(line).not.toContain(server.password);
					expect(line).not.toContain(WRONG_PASSWORD);
				}
			}
		} finally {
			await world.close();
		}
	});

	it('is checked by readiness: a store that stops answering makes the bot not ready, and restarting it would not help', async () => {
		const url = await server.createDatabase('readiness');
		const discord = await startDiscordStandIn();
		const modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY });
		const { bot, close } = await startBotAgainst(discord, modelverse, { DATABASE_URL: url });
		const failing = async (checks: HealthCheck[]) =>
			(await Promise.all(checks.map(async (check) => [check.name, await check.run()] as const))).filter(
				([, problem]) => problem !== undefined,
			);
		try {
			expect(bot.healthChecks.readiness.map((check) => check.name)).toContain('store');
			expect(await failing(bot.healthChecks.readiness)).toEqual([]);

			await sql(url, 'ALTER TABLE keyv RENAME TO keyv_moved_away');
			expect(await failing(bot.healthChecks.readiness)).toEqual([
				['store', expect.stringContaining('relation "public.keyv" does not exist')],
			]);
			expect(await failing(bot.healthChecks.liveness)).toEqual([]);
			await sql(url, 'ALTER TABLE keyv_moved_away RENAME TO keyv');
		} finally {
			await close();
			await Promise.all([discord.close(), modelverse.close()]);
		}
	});

	it('reads a row that is not JSON as its text, as on SQLite', () =>
		withStore('tolerant', async (store, url) => {
			await store.set('quota:1', { used: 3 });
			await sql(url, "UPDATE keyv SET value = 'half a write {' WHERE key = 'bot:quota:1'");
			expect(await store.get('quota:1')).toEqual(new UnreadableValue('half a write {'));
		}));

	it('deletes expired entries at once, and keeps entries without an expiry and rows that are not JSON', () =>
		withStore('expiry', async (store, url) => {
			await store.set('recent:1', ['a'], 60_000);
			await store.set('quota:1', { used: 3 });
			await store.set('quarantine:job:2', 'kept');
			await sql(url, `UPDATE keyv SET value = '{"value":["a half-written row' WHERE key = 'bot:quarantine:job:2'`);
			await deleteExpiredEntries(store, Date.now() + 120_000);
			expect((await rowsIn(url)).map((row) => row.key)).toEqual(['bot:quarantine:job:2', 'bot:quota:1']);
		}));
});

describe('npm run migrate-store', () => {
	it('copies every row, an unreadable one as its text, refuses a target that holds rows unless forced', async () => {
		const from = `sqlite://${join(dataDir, 'bot.sqlite')}`;
		const source = openStore(from);
		await source.set('job:1', { state: 'polling' });
		await source.set('open-jobs', ['1']);
		await source.set('health:probe', 'expires', 60_000);
		await source.disconnect();
		const raw = new RawStore(from);
		await raw.write('quarantine:job:2', 'not json {');
		const sourceRows = await raw.query('SELECT key, value FROM keyv ORDER BY key');
		await raw.close();
		const to = await server.createDatabase('migrated');

		const first = await migrateStore('--from', from, '--to', to);
		expect(first).toEqual({
			code: 0,
			output:
				`Copied 4 rows (1 unreadable, kept as their text) from ${join(dataDir, 'bot.sqlite')} to ` +
				`postgres://bot:***@127.0.0.1:${server.port}/migrated; all read back the same.\n`,
		});
		expect(await rowsIn(to)).toEqual(sourceRows);
		const store = openStore(to);
		expect(await store.get('job:1')).toEqual({ state: 'polling' });
		expect(await store.get('quarantine:job:2')).toEqual(new UnreadableValue('not json {'));
		await store.disconnect();

		const again = await migrateStore('--from', from, '--to', to);
		expect(again.code).toBe(1);
		expect(again.output).toContain('already holds 4 rows of the bot: pass --force to replace them');

		const forced = await migrateStore('--from', from, '--to', to, '--force');
		expect(forced.code).toBe(0);
		expect(await rowsIn(to)).toEqual(sourceRows);

		for (const { output } of [first, again, forced]) expect(output).not.toContain(server.password);
	});

	it('refuses a source file that does not exist, instead of copying an empty store', async () => {
		const to = await server.createDatabase('untouched');
		const missing = await migrateStore('--from', `sqlite://${join(dataDir, 'missing.sqlite')}`, '--to', to);
		expect(missing.code).toBe(1);
		expect(missing.output).toContain('No database at');
	});
});
