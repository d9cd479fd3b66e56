import type Keyv from 'keyv';

/** What Keyv's SQLite adapter offers beyond the Keyv interface: its table and plain SQL. */
interface SqlStore {
	opts: { table: string };
	query(sql: string, ...parameters: unknown[]): Promise<unknown>;
}

/**
 * Keyv over SQLite deletes an expired entry only when it is read, so entries nobody reads again (jobs ended a month
 * ago, the lists of members who stopped coming, a submit body a crash left behind) would stay on disk for ever. This
 * deletes every expired entry of the store at once; entries written without an expiry are never touched.
 */
export async function deleteExpiredEntries(keyv: Keyv, now: number): Promise<void> {
	const store = keyv.store as SqlStore;
	await store.query(
		`DELETE FROM ${store.opts.table} WHERE key LIKE ? AND CASE WHEN json_valid(value) THEN json_extract(value, '$.expires') END < ?`,
		`${keyv.namespace}:%`,
		now,
	);
}
