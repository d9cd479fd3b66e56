import { TASK_OUTCOMES, type TaskRecord } from '../src/storage/task-ledger.js';

/** A record still without an outcome: its job is still running, or its outcome could not be written. */
const OPEN = 'open';
const OUTCOME_COLUMNS = [...TASK_OUTCOMES, OPEN] as const;

export interface TaskRow {
	job_id: string;
	task_id: string;
	request_id: string;
	guild_id: string;
	user_id: string;
	mode: string;
	resolution: string;
	duration: number;
	aspect_ratio: string;
	audio: boolean;
	seed: number;
	credits: number;
	sent_at: string;
	submitted_at: string;
	outcome: string;
	reason: string;
	ended_at: string;
}

const TASK_COLUMNS = [
	'job_id',
	'task_id',
	'request_id',
	'guild_id',
	'user_id',
	'mode',
	'resolution',
	'duration',
	'aspect_ratio',
	'audio',
	'seed',
	'credits',
	'sent_at',
	'submitted_at',
	'outcome',
	'reason',
	'ended_at',
] as const satisfies ReadonlyArray<keyof TaskRow>;

type CreditsColumn = `credits_${(typeof OUTCOME_COLUMNS)[number]}`;
export type ServerTotals = { guild_id: string; tasks: number } & Record<CreditsColumn, number>;
const CREDITS_COLUMNS = OUTCOME_COLUMNS.map((outcome): CreditsColumn => `credits_${outcome}`);
const TOTALS_COLUMNS = ['guild_id', 'tasks', ...CREDITS_COLUMNS] as const;

const isoOrEmpty = (epochMs: number | undefined) => (epochMs === undefined ? '' : new Date(epochMs).toISOString());

export function taskRow(record: TaskRecord): TaskRow {
	return {
		job_id: record.jobId,
		task_id: record.taskId ?? '',
		request_id: record.requestId ?? '',
		guild_id: record.guildId,
		user_id: record.userId,
		mode: record.mode,
		resolution: record.settings.resolution,
		duration: record.settings.duration,
		aspect_ratio: record.settings.aspectRatio ?? '',
		audio: record.settings.audio,
		seed: record.settings.seed,
		credits: record.credits,
		sent_at: isoOrEmpty(record.sentAt),
		submitted_at: isoOrEmpty(record.submittedAt),
		outcome: record.outcome ?? OPEN,
		reason: record.reason ?? '',
		ended_at: isoOrEmpty(record.endedAt),
	};
}

/** Per server: how many submits, and their credits by outcome, to hold against the provider's invoice. */
export function serverTotals(rows: readonly TaskRow[]): ServerTotals[] {
	const totals = new Map<string, ServerTotals>();
	for (const row of rows) {
		const server = totals.get(row.guild_id) ?? emptyTotals(row.guild_id);
		server.tasks += 1;
		server[`credits_${row.outcome}` as CreditsColumn] += row.credits;
		totals.set(row.guild_id, server);
	}
	return [...totals.values()].sort((a, b) => a.guild_id.localeCompare(b.guild_id));
}

function emptyTotals(guildId: string): ServerTotals {
	const credits = Object.fromEntries(CREDITS_COLUMNS.map((column) => [column, 0])) as Record<CreditsColumn, number>;
	return { guild_id: guildId, tasks: 0, ...credits };
}

/** Two tables in one file: the tasks, a blank line, then the totals per server. */
export function toCsv(rows: readonly TaskRow[], totals: readonly ServerTotals[]): string {
	return `${csvTable(rows, TASK_COLUMNS)}\n${csvTable(totals, TOTALS_COLUMNS)}`;
}

function csvTable(rows: readonly object[], columns: readonly string[]): string {
	const lines = rows.map((row) => columns.map((column) => csvCell((row as Record<string, unknown>)[column])).join(','));
	return `${[columns.join(','), ...lines].join('\n')}\n`;
}

function csvCell(value: unknown): string {
	const text = String(value ?? '');
	return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
