import { cpus } from 'node:os';
import { oracle } from './against-oracle.js';
import { busyChannel } from './busy-channel.js';
import { compileBot } from './compile.js';
import { parseFlags, type ScenarioName } from './flags.js';
import { scale } from './scale.js';
import { compare, fleet, frames, type ScenarioReport, videos } from './scenarios.js';
import { formatTable } from './table.js';

/**
 * `npm run bench`: drives the real bot (its own process, real discord.js) through the stand-in Discord and Modelverse,
 * in real time, and prints one table. See BENCHMARKS.md for what each line means.
 */
const flags = parseFlags(process.argv.slice(2));
const runners: Record<ScenarioName, (f: typeof flags) => Promise<ScenarioReport>> = {
	compare,
	fleet,
	videos,
	frames,
	oracle,
	'busy-channel': busyChannel,
	scale,
};
const startedAt = Date.now();
// The oracle scenario is pure simulation: no bot to compile.
if (flags.scenarios.some((name) => name !== 'oracle')) {
	console.error('compiling the bot...');
	compileBot();
}
const reports: ScenarioReport[] = [];
for (const name of flags.scenarios) {
	console.error(`running ${name}...`);
	reports.push(await runners[name](flags));
}
for (const table of reports.flatMap((report) => report.tables ?? [])) console.log(`${table}\n`);
const rows = reports.flatMap((report) => report.rows);
if (rows.length > 0) console.log(`${formatTable(rows)}\n`);
const notes = reports.flatMap((report) => [...report.lines, ...report.rows.flatMap((row) => row.notes)]);
for (const line of notes) console.log(`- ${line}`);
console.log(
	`- machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; wall ${((Date.now() - startedAt) / 1000).toFixed(0)} s; real time, not compressed`,
);
process.exit(0);
