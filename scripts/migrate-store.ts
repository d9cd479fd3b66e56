import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import KeyvSqlite from '@keyv/sqlite';
import { z } from 'zod';
import { checkPostgres, postgresAdapter, redactedUrl } from '../src/storage/postgres-store.js';

/**
 * `npm run migrate-store -- --from sqlite://data/bot.sqlite --to postgres://… [--force]`: copies every row of the
 * bot's store, as the text it is stored as (a row set aside as unreadable stays that text), then reads them all back.
 * Run it with the bot stopped: rows written during the copy would be missed.
 */
const USAGE =
	'usage: npm run migrate-store -- --from sqlite://<path> --to postgres://<user>:<password>@<host>/<db> [--force]';
const NAMESPACE = 'bot:';
const BATCH = 500;

const argumentsSchema = z.object({
	from: z.string({ error: 'is required' }).regex(/^sqlite:\/\/.+/, 'must be sqlite://<path>'),
	to: z.string({ error: 'is required' }).regex(/^postgres(ql)?:\/\/.+/, 'must be postgres://…'),
	force: z.boolean().default(false),
});

interface Row {
	key: string;
	value: string;
}

function isJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

const { values } = parseArgs({
	options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' } },
	strict: true,
});
const args = argumentsSchema.safeParse(values);
if (!args.success)
	fail(`${args.error.issues.map((issue) => `--${issue.path.join('.')} ${issue.message}`).join('\n')}\n${USAGE}`);
const { from, to, force } = args.data;
const target = redactedUrl(to);
// Opening a missing file would create an empty database and copy nothing.
const location = from.replace(/^sqlite:\/\//, '');
if (!existsSync(location)) fail(`No database at ${location}: --from must name the bot's SQLite file.`);

const sqlite = new KeyvSqlite({ uri: from, busyTimeout: 5_000 });
const postgres = postgresAdapter(to);
const table = `${postgres.opts.schema}.${postgres.opts.table}`;
try {
	const rows = (await sqlite.query(
		`SELECT key, value FROM ${sqlite.opts.table} WHERE key LIKE ? ORDER BY key`,
		`${NAMESPACE}%`,
	)) as Row[];
	try {
		await checkPostgres(postgres);
	} catch (error) {
		fail(`${target} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
	}
	const [existing] = (await postgres.query(`SELECT count(*)::int AS count FROM ${table} WHERE key LIKE $1`, [
		`${NAMESPACE}%`,
	])) as Array<{ count: number }>;
	if (existing && existing.count > 0) {
		if (!force) fail(`${target} already holds ${existing.count} rows of the bot: pass --force to replace them.`);
		await postgres.query(`DELETE FROM ${table} WHERE key LIKE $1`, [`${NAMESPACE}%`]);
	}
	for (let start = 0; start < rows.length; start += BATCH) {
		const batch = rows.slice(start, start + BATCH);
		await postgres.query(`INSERT INTO ${table} (key, value) SELECT * FROM UNNEST($1::text[], $2::text[])`, [
			batch.map((row) => row.key),
			batch.map((row) => row.value),
		]);
	}
	const copied = (await postgres.query(`SELECT key, value FROM ${table} WHERE key LIKE $1`, [
		`${NAMESPACE}%`,
	])) as Row[];
	const readBack = new Map(copied.map((row) => [row.key, row.value]));
	const differing = rows.filter((row) => readBack.get(row.key) !== row.value);
	if (copied.length !== rows.length || differing.length > 0) {
		fail(
			`Read back ${copied.length} of ${rows.length} rows from ${target}, ${differing.length} different: ` +
				'the copy is incomplete, run it again with --force.',
		);
	}
	const unreadable = rows.filter((row) => !isJson(row.value)).length;
	console.log(
		`Copied ${rows.length} rows (${unreadable} unreadable, kept as their text) from ${location} to ${target}; ` +
			'all read back the same.',
	);
} finally {
	await Promise.all([sqlite.disconnect(), postgres.disconnect()]);
}
