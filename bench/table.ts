import type { RunResult } from './measure.js';

export const seconds = (ms: number) => (Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(1));
const whole = (value: number) => (Number.isNaN(value) ? '-' : Math.round(value).toString());

/** A column: its title, and the cell of a row. */
export type Column<Row> = [string, (row: Row) => string];

const COLUMNS: Array<Column<RunResult>> = [
	['run', (row) => row.label],
	['commands', (row) => `${row.commands}`],
	['delivered', (row) => `${row.delivered}`],
	['open jobs (peak)', (row) => `${row.peakOpenJobs}`],
	['defer p50/p99 ms', (row) => `${whole(row.deferP50Ms)}/${whole(row.deferP99Ms)}`],
	['defers missed', (row) => `${row.deferMissed}`],
	['queries/job', (row) => row.queriesPerJob.toFixed(1)],
	['max queries in 1 s', (row) => `${row.maxQueriesInOneSecond}`],
	['detection p50/p95 s', (row) => `${seconds(row.detectionP50Ms)}/${seconds(row.detectionP95Ms)}`],
	['edits/job', (row) => row.editsPerJob.toFixed(1)],
	['429s', (row) => `${row.rateLimited}`],
	['peak RSS MB', (row) => row.peakRssMb.toFixed(0)],
	['CPU s', (row) => row.cpuSeconds.toFixed(1)],
];

/** A Markdown table, so the same text reads in a terminal and pastes into BENCHMARKS.md. */
export function formatTable(rows: RunResult[]): string {
	return formatColumns(COLUMNS, rows);
}

/** The same Markdown table, for a scenario with columns of its own. */
export function formatColumns<Row>(columns: Array<Column<Row>>, rows: Row[]): string {
	const cells = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, cell]) => cell(row)))];
	const widths = columns.map((_, column) => Math.max(...cells.map((line) => (line[column] ?? '').length)));
	const line = (values: string[]) =>
		`| ${values.map((value, column) => value.padEnd(widths[column] ?? 0)).join(' | ')} |`;
	const [header = [], ...body] = cells;
	return [line(header), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...body.map(line)].join('\n');
}
