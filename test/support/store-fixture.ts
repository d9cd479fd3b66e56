import { readFileSync } from 'node:fs';
import { RawStore } from './raw-store.js';

export interface StoreFixture {
	/** Where the rows come from and what they hold. */
	about: string;
	capturedAt: number;
	/** The provider's task of the job that was still open. */
	openTaskId: string;
	/** Every row of the `keyv` table, keys with the store's `bot:` namespace, values as SQLite held them. */
	rows: Array<{ key: string; value: string }>;
}

const DAY_MS = 86_400_000;
const NEAR_CAPTURE_MS = 60 * DAY_MS;
const monthKey = (at: number) => `month:${new Date(at).toISOString().slice(0, 7)}`;

export function readStoreFixture(name: string): StoreFixture {
	return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as StoreFixture;
}

/**
 * Writes the fixture's rows into the SQLite file as if they had been written just before `now`: every epoch time in
 * them moves by the same amount (so deadlines, token lives and TTLs keep their distances) and the month their credits
 * were counted in becomes this month. Nothing else in a row changes.
 */
export async function loadStoreFixture(fixture: StoreFixture, databaseUrl: string, now = Date.now()): Promise<void> {
	const shift = now - fixture.capturedAt;
	const [fromMonth, toMonth] = [monthKey(fixture.capturedAt), monthKey(now)];
	const moved = (value: unknown): unknown => {
		if (typeof value === 'number')
			return Math.abs(value - fixture.capturedAt) < NEAR_CAPTURE_MS ? value + shift : value;
		if (typeof value === 'string') return value === fromMonth ? toMonth : value;
		if (Array.isArray(value)) return value.map(moved);
		if (typeof value !== 'object' || value === null) return value;
		return Object.fromEntries(
			Object.entries(value).map(([key, inner]) => [key === fromMonth ? toMonth : key, moved(inner)]),
		);
	};
	const raw = new RawStore(databaseUrl);
	try {
		for (const row of fixture.rows) {
			await raw.write(row.key.replace(/^bot:/, ''), JSON.stringify(moved(JSON.parse(row.value))));
		}
	} finally {
		await raw.close();
	}
}
