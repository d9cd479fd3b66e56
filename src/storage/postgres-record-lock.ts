import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { KeyedMutex } from './keyed-mutex.js';
import type { RecordLock } from './record-lock.js';

interface LockSession {
	client: pg.PoolClient;
	held: Set<string>;
	/** False once committed or rolled back: work a task left running past its end takes locks of its own. */
	open: boolean;
}

function endTransaction(client: pg.PoolClient, statement: 'COMMIT' | 'ROLLBACK'): Promise<boolean> {
	return client.query(statement).then(
		() => true,
		() => false,
	);
}

/**
 * Serialises a record's read-modify-write across every process on the database with PostgreSQL's transaction-level
 * advisory lock. The records themselves are written by the store through its own connections; the lock only has to be
 * held, by an open transaction, until the task has written. A process that dies mid-task loses its connection, and
 * PostgreSQL ends the transaction and frees the lock with it.
 */
export class PostgresRecordLock implements RecordLock {
	/** Tasks of this process wait their turn here, in order, instead of each holding a connection while they wait. */
	readonly #local = new KeyedMutex();
	readonly #session = new AsyncLocalStorage<LockSession>();

	constructor(private readonly pool: pg.Pool) {}

	run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const session = this.#session.getStore();
		// A run inside a run (a server's quota, then the operator's bill) takes its lock in the same transaction:
		// advisory locks are re-entrant per session, and a second checkout could wait for ever on a drained pool. It
		// skips the local queue for the same reason: a task queued there may itself be waiting for a connection.
		if (session?.open) return this.#nested(session, key, task);
		return this.#local.run(key, () => this.#transaction(key, task));
	}

	async #transaction<T>(key: string, task: () => Promise<T>): Promise<T> {
		const client = await this.pool.connect();
		const session: LockSession = { client, held: new Set<string>(), open: true };
		let ended = false;
		try {
			await client.query('BEGIN');
			const result = await this.#session.run(session, () => this.#nested(session, key, task));
			// The transaction itself writes nothing, the task's writes are made: a commit that fails (the connection
			// dropped) only ended the lock early, so the caller still gets what the task did.
			ended = await endTransaction(client, 'COMMIT');
			return result;
		} catch (error) {
			ended = await endTransaction(client, 'ROLLBACK');
			throw error;
		} finally {
			session.open = false;
			// A connection that could not end its transaction is closed rather than handed out again inside it.
			client.release(!ended);
		}
	}

	async #nested<T>(session: LockSession, key: string, task: () => Promise<T>): Promise<T> {
		if (!session.held.has(key)) {
			// pg_advisory_xact_lock: held until this transaction commits or rolls back, whichever process asks next waits.
			await session.client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
			session.held.add(key);
		}
		return task();
	}
}
