import type Keyv from 'keyv';
import type { Clock } from '../../domain/clock.js';
import { isOpen, type Job, type JobState } from '../../domain/job.js';
import type { KeyedMutex } from '../../storage/keyed-mutex.js';

const ENDED_JOB_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const RECENT_JOBS_KEPT = 25;
const OPEN_INDEX_KEY = 'jobs:open';

/** The states a change is meant for, or a test of the whole record where the state alone does not say. */
export type ExpectedJob = readonly JobState[] | ((job: Job) => boolean);

const jobKey = (id: string) => `job:${id}`;
const submitBodyKey = (id: string) => `job:${id}:submit-body`;
const recentKey = (guildId: string, userId: string) => `member:${guildId}:${userId}:recent-jobs`;

/** Jobs by id, plus two indexes Keyv cannot derive: the open jobs (for restarts) and each member's recent jobs. */
export class JobStore {
	constructor(
		private readonly keyv: Keyv,
		private readonly mutex: KeyedMutex,
		private readonly now: Clock = Date.now,
	) {}

	async create(job: Job, submitBody: unknown): Promise<void> {
		await this.keyv.set(submitBodyKey(job.id), submitBody);
		await this.keyv.set(jobKey(job.id), job);
		await this.#editIndex(OPEN_INDEX_KEY, (ids) => [...ids, job.id]);
		await this.#editIndex(recentKey(job.guildId, job.userId), (ids) => [job.id, ...ids].slice(0, RECENT_JOBS_KEPT));
	}

	async get(id: string): Promise<Job | undefined> {
		return (await this.keyv.get<Job>(jobKey(id))) ?? undefined;
	}

	async submitBody(id: string): Promise<unknown> {
		return this.keyv.get(submitBodyKey(id));
	}

	async forgetSubmitBody(id: string): Promise<void> {
		await this.keyv.delete(submitBodyKey(id));
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
				await this.keyv.set(jobKey(id), next);
			} else {
				await this.keyv.set(jobKey(id), next, ENDED_JOB_TTL_MS);
				await this.keyv.delete(submitBodyKey(id));
				if (isOpen(current)) await this.#editIndex(OPEN_INDEX_KEY, (ids) => ids.filter((openId) => openId !== id));
			}
			return next;
		});
	}

	async openJobs(): Promise<Job[]> {
		const ids = (await this.keyv.get<string[]>(OPEN_INDEX_KEY)) ?? [];
		return this.#load(ids);
	}

	async recentJobs(guildId: string, userId: string): Promise<Job[]> {
		const ids = (await this.keyv.get<string[]>(recentKey(guildId, userId))) ?? [];
		return this.#load(ids);
	}

	async #load(ids: string[]): Promise<Job[]> {
		if (ids.length === 0) return [];
		const jobs = await this.keyv.getMany<Job>(ids.map(jobKey));
		return jobs.filter((job): job is Job => job !== undefined && job !== null);
	}

	async #editIndex(key: string, edit: (ids: string[]) => string[]): Promise<void> {
		await this.mutex.run(key, async () => {
			const ids = (await this.keyv.get<string[]>(key)) ?? [];
			await this.keyv.set(key, edit(ids));
		});
	}
}
