import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type Deserialize } from 'keyv';

/** What a row that is not JSON reads as: its text, kept for the operator, instead of an error that stops every read. */
export class UnreadableValue {
	constructor(readonly text: string) {}
}

/** The database file cannot be opened or written: the operator's fix is on the host, so the message names both. */
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
 * Opens the one Keyv store everything shares. `throwOnErrors` makes a database fault reject the call instead of
 * reading as "nothing stored", so quota checks fail closed. The file is checked in the background at once;
 * `storeReady` tells whether it could be opened and written.
 */
export function openStore(databaseUrl: string): Keyv {
	const location = databaseUrl.replace(/^sqlite:\/\//, '');
	try {
		if (location !== IN_MEMORY) mkdirSync(dirname(resolve(location)), { recursive: true });
	} catch (error) {
		throw new StoreOpenError(location, fixFor(location), { cause: error });
	}
	const sqlite = new KeyvSqlite({ uri: `sqlite://${location}`, busyTimeout: 5_000 });
	const keyv = new Keyv({ store: sqlite, namespace: 'bot', throwOnErrors: true });
	const { deserialize } = keyv;
	if (deserialize) keyv.deserialize = tolerantDeserialize(deserialize);
	const ready = useWriteAheadLog(sqlite, location).catch((error: unknown) => {
		throw new StoreOpenError(location, fixFor(location), { cause: error });
	});
	// Awaited by `storeReady`; until then a failure must not count as an unhandled rejection.
	ready.catch(() => undefined);
	storesReady.set(keyv, ready);
	return keyv;
}

/** Rejects with a StoreOpenError when the database could not be opened in WAL mode. */
export function storeReady(store: Keyv): Promise<void> {
	return storesReady.get(store) ?? Promise.resolve();
}
