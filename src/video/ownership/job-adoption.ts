import { isOpen, type Job } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { Logger } from '../../ops/logger.js';
import type { OwnerLeases } from '../../storage/owner-leases.js';
import type { JobStore } from '../jobs/job-store.js';

export interface JobAdoptionDeps {
	store: Pick<JobStore, 'update'>;
	leases: Pick<OwnerLeases, 'isLive'>;
	/** This process's owner id. */
	ownerId: string;
	logger: Logger;
}

/**
 * Decides which open jobs this process follows. At start-up it takes back its own at once (the same process,
 * restarted) and claims those without an owner (written before owners were stored). At every sweep after, it claims
 * those whose owner's lease lapsed; processes restarted together thus each take back their own, as a sibling's first
 * sweep comes one renewal after its start. A job of a live sibling is left alone entirely.
 */
export class JobAdoption {
	constructor(private readonly deps: JobAdoptionDeps) {}

	async claim(jobs: readonly Job[], at: 'start-up' | 'sweep'): Promise<Job[]> {
		const claimed: Job[] = [];
		const lapsed = new Map<string, boolean>();
		for (const job of jobs) {
			if (job.owner === this.deps.ownerId) {
				if (at === 'start-up') claimed.push(job);
				continue;
			}
			if (at === 'sweep') {
				if (job.owner === undefined) continue;
				const gone = lapsed.get(job.owner) ?? !(await this.deps.leases.isLive(job.owner));
				lapsed.set(job.owner, gone);
				if (!gone) continue;
			} else if (job.owner !== undefined) continue;
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
