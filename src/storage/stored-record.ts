import type Keyv from 'keyv';
import type { z } from 'zod';
import { UnreadableValue } from './store.js';

const VERSION_FIELD = 'schemaVersion';
/** Records written before versions were stamped on them (the bot's first releases) are version 1. */
const UNSTAMPED_VERSION = 1;

export type StoredObject = Record<string, unknown>;

/** How one kind of record is stored: the version written now, and how each older version becomes the next one. */
export interface RecordFormat<T> {
	schema: z.ZodType<T>;
	version: number;
	/** `upgrades[n]` turns a version-n record into a version n + 1 one. */
	upgrades: Readonly<Record<number, (record: StoredObject) => StoredObject>>;
}

export type RecordReading<T> = { ok: true; value: T } | { ok: false; problem: string };

function isStoredObject(value: unknown): value is StoredObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The value itself is not quoted: it may be large, or carry an interaction token.
function describe(value: unknown): string {
	return Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
}

/** Upgrades a stored record to the current version and validates it; the version field is not part of the value. */
export function readRecord<T>(format: RecordFormat<T>, stored: unknown): RecordReading<T> {
	if (stored instanceof UnreadableValue) return { ok: false, problem: 'the stored text is not JSON' };
	if (!isStoredObject(stored)) return { ok: false, problem: `the stored value is ${describe(stored)}, not an object` };
	const { [VERSION_FIELD]: stamp, ...fields } = stored;
	const version = stamp ?? UNSTAMPED_VERSION;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < UNSTAMPED_VERSION) {
		return { ok: false, problem: `${VERSION_FIELD} ${JSON.stringify(version)} is not a version` };
	}
	if (version > format.version) {
		return {
			ok: false,
			problem: `written by a newer bot (version ${version}; this one reads up to ${format.version})`,
		};
	}
	let record = fields;
	for (let from = version; from < format.version; from += 1) {
		const upgrade = format.upgrades[from];
		if (!upgrade) return { ok: false, problem: `no upgrade from version ${from}` };
		record = upgrade(record);
	}
	const parsed = format.schema.safeParse(record);
	if (parsed.success) return { ok: true, value: parsed.data };
	const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`);
	return { ok: false, problem: issues.join('; ') };
}

/** The value as it is written: stamped with the version it was written in. */
export function stamped<T extends object>(format: RecordFormat<T>, value: T): T & { [VERSION_FIELD]: number } {
	return { ...value, [VERSION_FIELD]: format.version };
}

const quarantineKey = (key: string) => `quarantine:${key}`;

/** Keeps a copy of a record that cannot be read, as it was, under a key of its own for the operator to inspect. */
export async function copyToQuarantine(keyv: Keyv, key: string, stored: unknown, problem: string): Promise<string> {
	const value = stored instanceof UnreadableValue ? stored.text : stored;
	await keyv.set(quarantineKey(key), { key, value, problem });
	return quarantineKey(key);
}

/** A record that failed validation; what depends on it is refused rather than read as if nothing were stored. */
export class UnreadableRecordError extends Error {
	constructor(
		readonly key: string,
		readonly quarantineKey: string,
		readonly problem: string,
	) {
		super(`${key} cannot be read (${problem}); a copy is kept under ${quarantineKey} until the record is fixed`);
		this.name = 'UnreadableRecordError';
	}
}
