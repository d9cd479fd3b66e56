import type Keyv from 'keyv';

/** What Keyv's SQLite and PostgreSQL adapters offer beyond the Keyv interface: their table and plain SQL. */
interface SqlStore {
	opts: { table: string; dialect?: string; schema?: string };
	query(sql: string, ...parameters: unknown[]): Promise<unknown>;
}

/**
 * Keyv over SQLite or PostgreSQL deletes an expired entry only when it is read, so entries nobody reads again (jobs
 * ended a month ago, the lists of members who stopped coming, a submit body a crash left behind) would stay on disk
 * for ever. This deletes every expired entry of the store at once; entries written without an expiry are never
 * touched, nor are rows that are not Keyv's JSON.
 */
export async function deleteExpiredEntries(keyv: Keyv, now: number): Promise<void> {
	const store = keyv.store as SqlStore;
	const namespace = `${keyv.namespace}:%`;
	if (store.opts.dialect === 'postgres') {
		// Keyv writes `{"value":…,"expires":N}`: matching that shape keeps a row that is not Keyv's JSON out of any cast.
		await store.query(
			`DELETE FROM ${store.opts.schema}.${store.opts.table} WHERE key LIKE $1 AND substring(value FROM '^\\{"value":.*,"expires":([0-9]{1,15})\\}$')::bigint < $2`,
			[namespace, now],
		);
		return;
	}
	await store.query(
		`DELETE FROM ${store.opts.table} WHERE key LIKE ? AND CASE WHEN json_valid(value) THEN json_extract(value, '$.expires') END < ?`,
		namespace,
		now,
	);
}
