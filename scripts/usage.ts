import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { environmentSchema, settingProblems } from '../src/config.js';
import { KeyedMutex } from '../src/storage/keyed-mutex.js';
import { isPostgresUrl } from '../src/storage/postgres-store.js';
import { openStore } from '../src/storage/store.js';
import { TaskLedger } from '../src/storage/task-ledger.js';
import { serverTotals, taskRow, toCsv } from './usage-report.js';

/** `npm run usage -- --month 2026-11 [--guild ID] [--format csv|json]`: every provider task of a month, for the invoice. */
const USAGE = 'usage: npm run usage -- --month YYYY-MM [--guild ID] [--format csv|json]';

const argumentsSchema = z.object({
	month: z.string({ error: 'is required' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
	guild: z
		.string()
		.regex(/^\d{17,20}$/, 'must be a Discord id')
		.optional(),
	format: z.enum(['csv', 'json']).default('csv'),
});

const { values } = parseArgs({
	options: { month: { type: 'string' }, guild: { type: 'string' }, format: { type: 'string' } },
	strict: true,
});
const args = argumentsSchema.safeParse(values);
const environment = environmentSchema.pick({ DATABASE_URL: true }).safeParse(process.env);
if (!args.success || !environment.success) {
	const problems = [
		...(args.success ? [] : args.error.issues.map((issue) => `--${issue.path.join('.')} ${issue.message}`)),
		...(environment.success ? [] : settingProblems(environment.error)),
	];
	console.error(`${problems.join('\n')}\n${USAGE}`);
	process.exit(1);
}
const { month, guild, format } = args.data;
const { DATABASE_URL } = environment.data;
// Opening a missing file would create an empty database and report a month without tasks.
const location = DATABASE_URL.replace(/^sqlite:\/\//, '');
if (!isPostgresUrl(DATABASE_URL) && !existsSync(location)) {
	console.error(`No database at ${location}: set DATABASE_URL as the bot has it.`);
	process.exit(1);
}

const store = openStore(DATABASE_URL);
try {
	const records = await new TaskLedger(store, new KeyedMutex()).month(month);
	const rows = records.filter((record) => guild === undefined || record.guildId === guild).map(taskRow);
	const totals = serverTotals(rows);
	const output =
		format === 'json'
			? `${JSON.stringify({ month, ...(guild ? { guild } : {}), tasks: rows, totals }, null, 2)}\n`
			: toCsv(rows, totals);
	process.stdout.write(output);
} finally {
	await store.disconnect();
}
