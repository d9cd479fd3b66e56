import KeyvPostgres from '@keyv/postgres';
import pg from 'pg';

/** Keys are ids joined by colons, far below this; SQLite never enforced a length, so a migrated key must fit too. */
const KEY_SIZE = 1_024;

const pools = new WeakMap<KeyvPostgres, pg.Pool>();

/**
 * A connection pool of PostgreSQL that fails a checkout in bounded time instead of hanging on a dead host.
 * `waitMs` counts waiting for a free connection of a busy pool too.
 */
export function openPool(databaseUrl: string, max: number, waitMs: number): pg.Pool {
	const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: waitMs });
	// An idle connection the server dropped (a restart) is replaced by the next checkout; it must not crash the process.
	pool.on('error', () => undefined);
	return pool;
}

/**
 * Keyv's PostgreSQL adapter, with a pool of its own: the adapter shares one module-wide pool per URI and ends it on
 * any store's disconnect, which would close the store of every other Keyv of the process on that database.
 * `connect` runs inside the adapter's constructor, before a subclass field could be set, hence the WeakMap.
 */
class OwnPoolPostgres extends KeyvPostgres {
	override async connect() {
		const pool = openPool(this.opts.uri ?? '', 10, 5_000);
		pools.set(this, pool);
		return async (sql: string, values?: unknown[]) => (await pool.query(sql, values)).rows;
	}

	override async disconnect() {
		await pools.get(this)?.end();
	}
}

export function isPostgresUrl(databaseUrl: string): boolean {
	return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/** The URL without its password, for every message and log line that names the database. */
export function redactedUrl(databaseUrl: string): string {
	try {
		const url = new URL(databaseUrl);
		if (url.password) url.password = '***';
		return url.toString();
	} catch {
		return databaseUrl.replace(/\/\/[^@/]*@/, '//***@');
	}
}

/** The password in a database URL, as written and decoded, for the log's list of secrets to mask. */
export function databasePasswords(databaseUrl: string): string[] {
	try {
		const { password } = new URL(databaseUrl);
		return password ? [password, decodeURIComponent(password)] : [];
	} catch {
		return [];
	}
}

export function postgresAdapter(databaseUrl: string): KeyvPostgres {
	const adapter = new OwnPoolPostgres({ uri: databaseUrl, keySize: KEY_SIZE });
	// A failure to create the table reaches every query too; as an event without a listener it would end the process.
	adapter.on('error', () => undefined);
	return adapter;
}

/** The table exists and the credentials are accepted: the adapter's own table creation reports only as an event. */
export async function checkPostgres(adapter: KeyvPostgres): Promise<void> {
	await adapter.query(`SELECT 1 FROM ${adapter.opts.schema}.${adapter.opts.table} LIMIT 1`);
}
