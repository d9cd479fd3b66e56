import type Keyv from 'keyv';
import type { VideoMode, VideoSettings } from '../domain/video.js';
import type { RecordLock } from './record-lock.js';

export const TASK_OUTCOMES = ['succeeded', 'failed', 'timed_out', 'refused', 'unknown'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

/** One job's submit to the provider, as the operator holds it against the provider's invoice. */
export interface TaskRecord {
	jobId: string;
	guildId: string;
	userId: string;
	mode: VideoMode;
	settings: VideoSettings;
	credits: number;
	/** When the submit was first sent; its UTC day files the record. */
	sentAt: number;
	taskId?: string;
	requestId?: string;
	/** When the provider answered with a task. */
	submittedAt?: number;
	outcome?: TaskOutcome;
	/** The message key of why the job ended without a video, e.g. `job.deliveryFailed` after a provider success. */
	reason?: string;
	endedAt?: number;
}

type LaterName = 'taskId' | 'requestId' | 'submittedAt' | 'outcome' | 'reason' | 'endedAt';
type Opening = Omit<TaskRecord, LaterName>;
/** Undefined fields are left alone, so callers can pass what they may not know. */
type LaterFields = { [name in LaterName]?: TaskRecord[name] | undefined };

const DAY_MS = 86_400_000;
// Longer than the 13 months an invoice can be disputed over, counted from the record's last write.
const KEPT_MS = 400 * DAY_MS;

const recordKey = (jobId: string) => `task:${jobId}`;
const dayKey = (day: string) => `tasks:day:${day}`;
const utcDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/**
 * An append-only record of every submit, kept far longer than jobs. A field, once set, is never changed: a later
 * write with a different value is refused and reported, so an outcome cannot be rewritten. Records are filed by
 * the UTC day they were sent, so a month is read as its days.
 */
export class TaskLedger {
	constructor(
		private readonly keyv: Keyv,
		private readonly mutex: RecordLock,
	) {}

	/** Opens the record when the submit is first sent; sending again (after a 429) keeps the first. */
	async sent(opening: Opening): Promise<void> {
		await this.mutex.run(recordKey(opening.jobId), async () => {
			if (await this.keyv.get(recordKey(opening.jobId))) return;
			// Filed before it is written: a crash between the two leaves an index entry without a record, which
			// reading skips, rather than a record no month can find.
			await this.#file(utcDay(opening.sentAt), opening.jobId);
			await this.#save(opening);
		});
	}

	/** Sets the fields not yet set. Returns the names of those already set to something else, which stay as they were. */
	async add(jobId: string, fields: LaterFields): Promise<string[]> {
		return this.mutex.run(recordKey(jobId), async () => {
			const record = await this.keyv.get<TaskRecord>(recordKey(jobId));
			if (!record) return [];
			const refused: string[] = [];
			const added: Partial<Pick<TaskRecord, LaterName>> = {};
			for (const [name, value] of Object.entries(fields) as Array<[LaterName, unknown]>) {
				if (value === undefined) continue;
				if (record[name] === undefined) Object.assign(added, { [name]: value });
				else if (record[name] !== value) refused.push(name);
			}
			if (Object.keys(added).length > 0) await this.#save({ ...record, ...added });
			return refused;
		});
	}

	/** Every record sent in the UTC calendar month `YYYY-MM`, in the order they were sent. */
	async month(month: string): Promise<TaskRecord[]> {
		const [year, monthNumber] = month.split('-').map(Number);
		if (year === undefined || monthNumber === undefined) throw new RangeError(`not a month: ${month}`);
		const days: string[] = [];
		for (let day = Date.UTC(year, monthNumber - 1, 1); day < Date.UTC(year, monthNumber, 1); day += DAY_MS) {
			days.push(utcDay(day));
		}
		const indexes = await this.keyv.getMany<string[]>(days.map(dayKey));
		const jobIds = indexes.flatMap((ids) => ids ?? []);
		if (jobIds.length === 0) return [];
		const records = await this.keyv.getMany<TaskRecord>(jobIds.map(recordKey));
		return records
			.filter((record): record is TaskRecord => record !== undefined && record !== null)
			.sort((a, b) => a.sentAt - b.sentAt);
	}

	async #file(day: string, jobId: string): Promise<void> {
		await this.mutex.run(dayKey(day), async () => {
			const ids = (await this.keyv.get<string[]>(dayKey(day))) ?? [];
			if (!ids.includes(jobId)) await this.#set(dayKey(day), [...ids, jobId]);
		});
	}

	#save(record: TaskRecord): Promise<void> {
		return this.#set(recordKey(record.jobId), record);
	}

	async #set(key: string, value: unknown): Promise<void> {
		if (!(await this.keyv.set(key, value, KEPT_MS))) throw new Error(`the store did not save ${key}`);
	}
}
