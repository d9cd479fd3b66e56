import type Keyv from 'keyv';
import type { Clock } from '../../domain/clock.js';
import { isOpen, type Job } from '../../domain/job.js';
import type { SubmitBody } from '../../modelverse/wire.js';
import type { KeyedMutex } from '../../storage/keyed-mutex.js';
import { SubmitBodyStore } from './submit-body-store.js';

const ENDED_JOB_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const RECENT_JOBS_KEPT = 25;
/** A member's list of recent jobs outlives its newest entry's job record, and goes with members who stop coming. */
const RECENT_JOBS_TTL_MS = ENDED_JOB_TTL_MS + 24 * 60 * 60 * 1000;
const OPEN_INDEX_KEY = 'jobs:open';

/** A submit body outlives its job's deadline by this much at most, whatever happened to the job. */
const SUBMIT_BODY_GRACE_MS = 24 * 60 * 60 * 1000;

const jobKey = (id: string) => `job:${id}`;
const recentKey = (guildId: string, userId: string) => `member:${guildId}:${userId}:recent-jobs`;

/** Jobs by id, plus two indexes Keyv cannot derive: the open jobs (for restarts) and each member's recent jobs. */
export class JobStore {
	readonly #bodies: SubmitBodyStore;

	constructor(
		private readonly keyv: Keyv,
		private readonly mutex: KeyedMutex,
		private readonly now: Clock = Date.now,
	) {
		this.#bodies = new SubmitBodyStore(keyv);
	}

	async create(job: Job, submitBody: SubmitBody): Promise<void> {
		await this.#bodies.save(job.id, submitBody, job.deadlineAt - this.now() + SUBMIT_BODY_GRACE_MS);
		await this.keyv.set(jobKey(job.id), job);
		await this.#editIndex(OPEN_INDEX_KEY, (ids) => [...ids, job.id]);
		await this.#editIndex(
			recentKey(job.guildId, job.userId),
			(ids) => [job.id, ...ids].slice(0, RECENT_JOBS_KEPT),
			RECENT_JOBS_TTL_MS,
		);
	}

	async get(id: string): Promise<Job | undefined> {
		return (await this.keyv.get<Job>(jobKey(id))) ?? undefined;
	}

	async submitBody(id: string): Promise<SubmitBody | undefined> {
		return this.#bodies.load(id);
	}

	async forgetSubmitBody(id: string): Promise<void> {
		await this.#bodies.forget(id);
	}

	/** Read-modify-write under the job's lock, so the poller and a button press never overwrite each other. */
	async update(id: string, change: (job: Job) => Partial<Job>): Promise<Job> {
		return this.mutex.run(jobKey(id), async () => {
			const current = await this.get(id);
			if (!current) throw new Error(`job ${id} is not stored`);
			const next: Job = { ...current, ...change(current), updatedAt: this.now() };
			if (isOpen(next)) {
				await this.keyv.set(jobKey(id), next);
			} else {
				await this.keyv.set(jobKey(id), next, ENDED_JOB_TTL_MS);
				await this.#bodies.forget(id);
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

	/** `ttlMs`: counted again from every edit. */
	async #editIndex(key: string, edit: (ids: string[]) => string[], ttlMs?: number): Promise<void> {
		await this.mutex.run(key, async () => {
			const ids = (await this.keyv.get<string[]>(key)) ?? [];
			await this.keyv.set(key, edit(ids), ttlMs);
		});
	}
}
