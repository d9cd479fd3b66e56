import type { Logger } from '../../ops/logger.js';
import type { OwnerLeases } from '../../storage/owner-leases.js';

export interface LeaseKeeperDeps {
	leases: Pick<OwnerLeases, 'renew' | 'release'>;
	ownerId: string;
	/** A third of the lease: two renewals may fail in a row before siblings take this process for dead. */
	intervalMs: number;
	/** Adopts the jobs of processes that died; returns how many. */
	sweep: () => Promise<number>;
	logger: Logger;
}

/**
 * Keeps this process's lease alive and, at every renewal, sweeps for jobs left by a process that died: so a job of a
 * killed process is adopted about one lease plus one interval after its last renewal.
 */
export class LeaseKeeper {
	#timer: NodeJS.Timeout | undefined;
	#renewing: Promise<void> | undefined;
	#sweeping: Promise<void> | undefined;
	#heldUntil = 0;

	constructor(private readonly deps: LeaseKeeperDeps) {}

	/** Takes the lease before anything is resumed, so no sibling adopts this process's jobs while it starts. */
	async start(): Promise<void> {
		this.#heldUntil = await this.deps.leases.renew(this.deps.ownerId);
		// Renewals never wait behind a sweep: reading every open job of a busy store can take longer than the lease
		// leaves, and a live process whose renewal waited would see its jobs adopted.
		this.#timer = setInterval(() => {
			this.#renewing ??= this.#renew().finally(() => {
				this.#renewing = undefined;
			});
			this.#sweeping ??= this.#sweep().finally(() => {
				this.#sweeping = undefined;
			});
		}, this.deps.intervalMs).unref();
	}

	/** No more renewals nor sweeps: a process on its way out takes on no one's jobs. The lease runs out as it stands. */
	async stop(): Promise<void> {
		clearInterval(this.#timer);
		await Promise.all([this.#renewing, this.#sweeping]);
	}

	/**
	 * Until when no sibling can take this process's jobs, known without asking the store: the stamp of the last renewal
	 * that went through. A renewal that hangs or fails leaves it where it was, so it runs out as the stored lease does.
	 */
	heldUntil(): number {
		return this.#heldUntil;
	}

	/** Once its work is drained: a sibling takes over whatever is left open at its next sweep instead of after the lease. */
	async release(): Promise<void> {
		// Nothing is posted under a lease on its way out: a sibling may adopt as soon as the deletion lands.
		this.#heldUntil = 0;
		await this.deps.leases
			.release(this.deps.ownerId)
			.catch((error: unknown) => this.deps.logger.warn({ err: error }, 'the owner lease could not be given up'));
	}

	async #renew(): Promise<void> {
		const { leases, ownerId, logger } = this.deps;
		try {
			this.#heldUntil = await leases.renew(ownerId);
		} catch (error) {
			logger.error(
				{ err: error, ownerId },
				'the owner lease could not be renewed; if it lapses, siblings adopt the jobs',
			);
		}
	}

	async #sweep(): Promise<void> {
		const { ownerId, sweep, logger } = this.deps;
		try {
			const adopted = await sweep();
			if (adopted > 0) logger.warn({ ownerId, adopted }, 'took over the open jobs of a process that stopped');
		} catch (error) {
			logger.error({ err: error }, 'the sweep for jobs of stopped processes failed; it runs again at the next renewal');
		}
	}
}
