import KeyvSqlite from '@keyv/sqlite';

export interface StoredRow {
	/** As the bot names it, without the store's `bot:` namespace. */
	key: string;
	/** The row's text exactly as SQLite holds it. */
	value: string;
}

const NAMESPACE = 'bot:';

/**
 * A second connection to the bot's SQLite file, beside the bot's own, reading and writing rows as they are stored:
 * what an operator with `sqlite3` sees, or a disk fault leaves behind.
 */
export class RawStore {
	readonly #sqlite: KeyvSqlite;

	constructor(databaseUrl: string) {
		this.#sqlite = new KeyvSqlite({ uri: databaseUrl, busyTimeout: 5_000 });
	}

	query(sql: string, ...parameters: unknown[]): Promise<Array<Record<string, unknown>>> {
		return this.#sqlite.query(sql, ...parameters) as Promise<Array<Record<string, unknown>>>;
	}

	async rows(): Promise<StoredRow[]> {
		const rows = await this.query('SELECT key, value FROM keyv ORDER BY key');
		return rows.map((row) => ({ key: String(row.key).slice(NAMESPACE.length), value: String(row.value) }));
	}

	async value(key: string): Promise<unknown> {
		const [row] = await this.query('SELECT value FROM keyv WHERE key = ?', `${NAMESPACE}${key}`);
		return row === undefined ? undefined : (JSON.parse(String(row.value)) as { value: unknown }).value;
	}

	async write(key: string, text: string): Promise<void> {
		await this.query(
			'INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
			`${NAMESPACE}${key}`,
			text,
		);
	}

	close(): Promise<void> {
		return this.#sqlite.disconnect();
	}
}
