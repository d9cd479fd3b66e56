import { KeyedMutex } from './keyed-mutex.js';
import { PostgresRecordLock } from './postgres-record-lock.js';
import { isPostgresUrl, openPool } from './postgres-store.js';
import type { RecordLock } from './record-lock.js';

/** Locked sections at once per process; each holds one connection for its length. */
const LOCK_CONNECTIONS = 5;
/** A burst of commands may queue for those connections a while; only a dead server should make a task fail. */
const LOCK_WAIT_MS = 30_000;

/**
 * One process on SQLite serialises in memory; processes sharing PostgreSQL need the database's own lock. `close`
 * releases its connections.
 */
export function openRecordLock(databaseUrl: string): RecordLock & { close(): Promise<void> } {
	if (!isPostgresUrl(databaseUrl)) return Object.assign(new KeyedMutex(), { close: async () => undefined });
	const pool = openPool(databaseUrl, LOCK_CONNECTIONS, LOCK_WAIT_MS);
	return Object.assign(new PostgresRecordLock(pool), { close: () => pool.end() });
}
