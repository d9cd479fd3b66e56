import { isOpen, type Job } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { Logger } from '../../ops/logger.js';
import type { OwnerLeases } from '../../storage/owner-leases.js';
import type { JobStore } from './job-store.js';

export interface JobAdoptionDeps {
	store: Pick<JobStore, 'update'>;
	leases: Pick<OwnerLeases, 'isLive'>;
	/** This process's owner id. */
	ownerId: string;
	logger: Logger;
}

/**
 * Decides which open jobs this process follows. Its own (a restart of the same process) are taken back at once; a
 * job without an owner, or whose owner's lease lapsed, is claimed; a job of a live sibling is left alone entirely.
 */
export class JobAdoption {
	constructor(private readonly deps: JobAdoptionDeps) {}

	/** `own`: whether this process's own jobs are taken too (at start-up), or only others' (a sweep: it follows its own). */
	async claim(jobs: readonly Job[], own: boolean): Promise<Job[]> {
		const { ownerId } = this.deps;
		const claimed: Job[] = [];
		const liveOwners = new Map<string, boolean>();
		for (const job of jobs) {
			if (job.owner === ownerId) {
				if (own) claimed.push(job);
				continue;
			}
			if (job.owner !== undefined) {
				const live = liveOwners.get(job.owner) ?? (await this.deps.leases.isLive(job.owner));
				liveOwners.set(job.owner, live);
				if (live) continue;
			}
			const adopted = await this.#adopt(job);
			if (adopted) claimed.push(adopted);
		}
		return claimed;
	}

	/**
	 * A conditional change of the owner: it applies only while the job is open and still has the owner it was found
	 * with, under the store's record lock (pg_advisory_xact_lock on PostgreSQL), so of two survivors exactly one adopts
	 * it and the other's change is refused.
	 */
	async #adopt(job: Job): Promise<Job | undefined> {
		const { store, ownerId, logger } = this.deps;
		const adopted = await store.update(
			job.id,
			(current) => isOpen(current) && current.owner === job.owner,
			() => ({ owner: ownerId }),
		);
		if (adopted) logger.warn({ ...jobLogContext(adopted), from: job.owner ?? 'none' }, 'adopted a job');
		return adopted;
	}
}
