import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type Deserialize, type KeyvStoreAdapter } from 'keyv';
import { checkPostgres, isPostgresUrl, postgresAdapter, redactedUrl } from './postgres-store.js';

/** What a row that is not JSON reads as: its text, kept for the operator, instead of an error that stops every read. */
export class UnreadableValue {
	constructor(readonly text: string) {}
}

/**
 * The database cannot be opened or written: the operator's fix is on the host, so the message names both. `path` is
 * the file, or the PostgreSQL URL without its password.
 */
export class StoreOpenError extends Error {
	constructor(
		readonly path: string,
		readonly fix: string,
		options: ErrorOptions,
	) {
		super(`the database ${path} cannot be opened: ${fix}`, options);
		this.name = 'StoreOpenError';
	}
}

const IN_MEMORY = ':memory:';
const storesReady = new WeakMap<Keyv, Promise<void>>();

function fixFor(location: string): string {
	return (
		`${dirname(resolve(location))} must be a directory the bot's user can write, and ${location} a file it can ` +
		`write (uid 1000 in the image: chown -R 1000:1000 the volume), or DATABASE_URL must point at such a place`
	);
}

/**
 * WAL lets other readers (the doctor, an online backup) work beside the bot's writes instead of waiting on them, and
 * costs a write one sync instead of several. It is kept in the file, and set before any other statement touches it.
 */
async function useWriteAheadLog(sqlite: KeyvSqlite, location: string): Promise<void> {
	const rows = (await sqlite.query('PRAGMA journal_mode = WAL')) as Array<{ journal_mode?: string }>;
	const mode = rows[0]?.journal_mode;
	const expected = location === IN_MEMORY ? 'memory' : 'wal';
	if (mode !== expected) throw new Error(`SQLite kept journal_mode ${mode ?? 'unknown'} instead of ${expected}`);
}

/** A row some hand or disk fault left unparseable reads as an UnreadableValue, so its neighbours stay readable. */
function tolerantDeserialize(parse: Deserialize): Deserialize {
	return async <Value>(text: string) => {
		try {
			return await parse<Value>(text);
		} catch {
			return { value: new UnreadableValue(text) as Value };
		}
	};
}

/**
 * Opens the one Keyv store everything shares: SQLite by default, PostgreSQL for `postgres://` URLs (several processes
 * on one database). `throwOnErrors` makes a database fault reject the call instead of reading as "nothing stored", so
 * quota checks fail closed. The database is checked in the background at once; `storeReady` tells whether it could be
 * opened and written.
 */
export function openStore(databaseUrl: string): Keyv {
	return isPostgresUrl(databaseUrl) ? openPostgresStore(databaseUrl) : openSqliteStore(databaseUrl);
}

function openSqliteStore(databaseUrl: string): Keyv {
	const location = databaseUrl.replace(/^sqlite:\/\//, '');
	try {
		if (location !== IN_MEMORY) mkdirSync(dirname(resolve(location)), { recursive: true });
	} catch (error) {
		throw new StoreOpenError(location, fixFor(location), { cause: error });
	}
	const sqlite = new KeyvSqlite({ uri: `sqlite://${location}`, busyTimeout: 5_000 });
	return withReadyCheck(
		keyvOver(sqlite),
		useWriteAheadLog(sqlite, location).catch((error: unknown) => {
			throw new StoreOpenError(location, fixFor(location), { cause: error });
		}),
	);
}

function openPostgresStore(databaseUrl: string): Keyv {
	const adapter = postgresAdapter(databaseUrl);
	const shown = redactedUrl(databaseUrl);
	return withReadyCheck(
		keyvOver(adapter),
		checkPostgres(adapter).catch((error: unknown) => {
			const reason = error instanceof Error ? error.message : String(error);
			const fix = `the PostgreSQL server must be reachable and accept the user and password in DATABASE_URL (${reason})`;
			throw new StoreOpenError(shown, fix, { cause: error });
		}),
	);
}

function keyvOver(store: KeyvStoreAdapter): Keyv {
	const keyv = new Keyv({ store, namespace: 'bot', throwOnErrors: true });
	const { deserialize } = keyv;
	if (deserialize) keyv.deserialize = tolerantDeserialize(deserialize);
	return keyv;
}

function withReadyCheck(keyv: Keyv, ready: Promise<void>): Keyv {
	// Awaited by `storeReady`; until then a failure must not count as an unhandled rejection.
	ready.catch(() => undefined);
	storesReady.set(keyv, ready);
	return keyv;
}

/** Rejects with a StoreOpenError when the database could not be opened (SQLite: in WAL mode). */
export function storeReady(store: Keyv): Promise<void> {
	return storesReady.get(store) ?? Promise.resolve();
}
