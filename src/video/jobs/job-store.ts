import type Keyv from 'keyv';
import { z } from 'zod';
import type { Clock } from '../../domain/clock.js';
import { isOpen, type Job, type JobState } from '../../domain/job.js';
import { jobSchema } from '../../domain/job-schema.js';
import type { SubmitBody } from '../../modelverse/wire.js';
import type { Logger } from '../../ops/logger.js';
import type { RecordLock } from '../../storage/record-lock.js';
import {
	copyToQuarantine,
	type RecordFormat,
	readRecord,
	type StoredObject,
	stamped,
} from '../../storage/stored-record.js';
import { SubmitBodyStore } from './submit-body-store.js';

const ENDED_JOB_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const RECENT_JOBS_KEPT = 25;
/** A member's list of recent jobs outlives its newest entry's job record, and goes with members who stop coming. */
const RECENT_JOBS_TTL_MS = ENDED_JOB_TTL_MS + 24 * 60 * 60 * 1000;
const OPEN_INDEX_KEY = 'jobs:open';

/** A submit body outlives its job's deadline by this much at most, whatever happened to the job. */
const SUBMIT_BODY_GRACE_MS = 24 * 60 * 60 * 1000;

/** The states a change is meant for, or a test of the whole record where the state alone does not say. */
export type ExpectedJob = readonly JobState[] | ((job: Job) => boolean);

const jobKey = (id: string) => `job:${id}`;
const recentKey = (guildId: string, userId: string) => `member:${guildId}:${userId}:recent-jobs`;

/** What the provider documents for its result URLs; records from before version 2 did not store an expiry. */
const RESULT_URL_LIFETIME_BEFORE_V2_MS = 24 * 60 * 60 * 1000;

const JOB_FORMAT: RecordFormat<Job> = {
	schema: jobSchema,
	version: 3,
	upgrades: { 1: withResultExpiry, 2: asOrphan },
};

/** Version 2 began stamping the version and gave every result its URL's expiry, counted from the job's last change. */
function withResultExpiry(record: StoredObject): StoredObject {
	const result = record.result;
	if (typeof result !== 'object' || result === null || 'expiresAt' in result) return record;
	const madeAt = typeof record.finishedAt === 'number' ? record.finishedAt : Number(record.updatedAt);
	return { ...record, result: { ...result, expiresAt: madeAt + RESULT_URL_LIFETIME_BEFORE_V2_MS } };
}

/**
 * Version 3 names the process that follows each job. A record from before has no owner, and is left without one: the
 * first process to start on the store adopts it, so a store written by a single process resumes as it always did.
 */
function asOrphan(record: StoredObject): StoredObject {
	return record;
}

const jobIdsSchema = z.array(z.string().min(1));

export interface JobStoreDeps {
	keyv: Keyv;
	mutex: RecordLock;
	logger: Logger;
	now: Clock;
}

/**
 * Jobs by id, plus two indexes Keyv cannot derive: the open jobs (for restarts) and each member's recent jobs. Every
 * record read is validated; one that is not a job is set aside under `quarantine:<key>` and the others carry on.
 */
export class JobStore {
	private readonly keyv: Keyv;
	private readonly mutex: RecordLock;
	private readonly logger: Logger;
	private readonly now: Clock;
	readonly #bodies: SubmitBodyStore;

	constructor({ keyv, mutex, logger, now }: JobStoreDeps) {
		this.keyv = keyv;
		this.mutex = mutex;
		this.logger = logger;
		this.now = now;
		this.#bodies = new SubmitBodyStore(keyv);
	}

	/**
	 * Four writes, after the job's credits were held. A crash after any of them is recovered at the next start,
	 * because the held credits name the job: without a job record they go back (and the body is forgotten); a job
	 * missing from an index is indexed and resumed. The open index comes last, so an indexed job has all the rest.
	 */
	async create(job: Job, submitBody: SubmitBody): Promise<void> {
		await this.#bodies.save(job.id, submitBody, job.deadlineAt - this.now() + SUBMIT_BODY_GRACE_MS);
		await this.keyv.set(jobKey(job.id), stamped(JOB_FORMAT, job));
		await this.#addToRecent(job);
		await this.#editIndex(OPEN_INDEX_KEY, (ids) => [...ids, job.id]);
	}

	/** Puts a stored open job back in the indexes a crash during `create` left it out of. */
	async reindex(job: Job): Promise<void> {
		await this.#addToRecent(job);
		await this.#editIndex(OPEN_INDEX_KEY, (ids) => (ids.includes(job.id) ? ids : [...ids, job.id]));
	}

	async get(id: string): Promise<Job | undefined> {
		const stored: unknown = await this.keyv.get(jobKey(id));
		return stored === undefined || stored === null ? undefined : this.#readJob(id, stored);
	}

	async submitBody(id: string): Promise<SubmitBody | undefined> {
		return this.#bodies.load(id);
	}

	async forgetSubmitBody(id: string): Promise<void> {
		await this.#bodies.forget(id);
	}

	/**
	 * Read-modify-write under the job's lock, applied only while the job is as `expected`: of two paths that race (the
	 * poller and a button, a resume and a late answer) only the first moves the job, and an ended job never opens
	 * again. Undefined when the change was refused.
	 */
	async update(id: string, expected: ExpectedJob, change: (job: Job) => Partial<Job>): Promise<Job | undefined> {
		return this.mutex.run(jobKey(id), async () => {
			const current = await this.get(id);
			if (!current) throw new Error(`job ${id} is not stored`);
			const isExpected = typeof expected === 'function' ? expected(current) : expected.includes(current.state);
			if (!isExpected) return undefined;
			const next: Job = { ...current, ...change(current), updatedAt: this.now() };
			if (!isOpen(current) && isOpen(next)) return undefined;
			if (isOpen(next)) {
				await this.keyv.set(jobKey(id), stamped(JOB_FORMAT, next));
			} else {
				await this.keyv.set(jobKey(id), stamped(JOB_FORMAT, next), ENDED_JOB_TTL_MS);
				await this.#bodies.forget(id);
				if (isOpen(current)) await this.#editIndex(OPEN_INDEX_KEY, (ids) => ids.filter((openId) => openId !== id));
			}
			return next;
		});
	}

	/** The jobs still open; ids in the index that no longer name one (ended, or set aside) are dropped from it. */
	async openJobs(): Promise<Job[]> {
		const ids = await this.#readIndex(OPEN_INDEX_KEY);
		const loaded = await this.#load(ids);
		const open = loaded.filter(isOpen);
		if (open.length < ids.length) {
			const read = new Set(ids);
			const stillOpen = new Set(open.map((job) => job.id));
			await this.#editIndex(OPEN_INDEX_KEY, (current) => current.filter((id) => stillOpen.has(id) || !read.has(id)));
		}
		return open;
	}

	async recentJobs(guildId: string, userId: string): Promise<Job[]> {
		return this.#load(await this.#readIndex(recentKey(guildId, userId)));
	}

	async #load(ids: string[]): Promise<Job[]> {
		if (ids.length === 0) return [];
		const stored: unknown[] = await this.keyv.getMany(ids.map(jobKey));
		const jobs: Job[] = [];
		for (const [index, value] of stored.entries()) {
			const id = ids[index];
			if (id === undefined || value === undefined || value === null) continue;
			const job = await this.#readJob(id, value);
			if (job) jobs.push(job);
		}
		return jobs;
	}

	async #readJob(id: string, stored: unknown): Promise<Job | undefined> {
		const reading = readRecord(JOB_FORMAT, stored);
		if (reading.ok) return reading.value;
		const key = jobKey(id);
		const quarantinedAs = await copyToQuarantine(this.keyv, key, stored, reading.problem);
		await this.keyv.delete(key);
		this.logger.error(
			{ jobId: id, key, quarantineKey: quarantinedAs, problem: reading.problem },
			'unreadable job record set aside; the other jobs carry on',
		);
		return undefined;
	}

	async #readIndex(key: string): Promise<string[]> {
		return this.mutex.run(key, () => this.#readIndexLocked(key));
	}

	/** An index that is not a list of ids is set aside and starts again empty; resume finds open jobs by their credits. */
	async #readIndexLocked(key: string): Promise<string[]> {
		const stored: unknown = await this.keyv.get(key);
		if (stored === undefined || stored === null) return [];
		const parsed = jobIdsSchema.safeParse(stored);
		if (parsed.success) return parsed.data;
		const problem = 'not a list of job ids';
		const quarantinedAs = await copyToQuarantine(this.keyv, key, stored, problem);
		await this.keyv.set(key, []);
		this.logger.error({ key, quarantineKey: quarantinedAs, problem }, 'unreadable job index set aside and emptied');
		return [];
	}

	async #addToRecent(job: Job): Promise<void> {
		await this.#editIndex(
			recentKey(job.guildId, job.userId),
			(ids) => (ids.includes(job.id) ? ids : [job.id, ...ids].slice(0, RECENT_JOBS_KEPT)),
			RECENT_JOBS_TTL_MS,
		);
	}

	/** `ttlMs`: counted again from every edit. */
	async #editIndex(key: string, edit: (ids: string[]) => string[], ttlMs?: number): Promise<void> {
		await this.mutex.run(key, async () => {
			await this.keyv.set(key, edit(await this.#readIndexLocked(key)), ttlMs);
		});
	}
}
