import type Keyv from 'keyv';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';

const leaseKey = (ownerId: string) => `owner:${ownerId}`;
const leaseSchema = z.object({ until: z.number() });

/**
 * Whether a stored lease still vouches for its owner at `now`. Anything else (none, expired, unreadable) means the
 * owner is gone and its jobs may be adopted. Processes compare their own clock with the writer's stamp, so their
 * clocks must agree to well within the lease (NTP does).
 */
export function leaseLive(stored: unknown, now: number): boolean {
	const lease = leaseSchema.safeParse(stored);
	return lease.success && lease.data.until > now;
}

/**
 * Each process's proof of life in the shared store: `owner:<id>`, renewed well before it lapses. Keyv's TTL lets the
 * store drop the entry of a process that died; the stamp inside is what is decided on.
 */
export class OwnerLeases {
	constructor(
		private readonly keyv: Keyv,
		private readonly ttlMs: number,
		private readonly now: Clock,
	) {}

	/** Returns the stamp written, taken as the write starts: when siblings will take the lease to end, known unread. */
	async renew(ownerId: string): Promise<number> {
		const until = this.now() + this.ttlMs;
		await this.keyv.set(leaseKey(ownerId), { until }, this.ttlMs);
		return until;
	}

	/** On a clean stop, so a sibling adopts the jobs left behind at its next sweep instead of after the lease. */
	async release(ownerId: string): Promise<void> {
		await this.keyv.delete(leaseKey(ownerId));
	}

	async isLive(ownerId: string): Promise<boolean> {
		return leaseLive(await this.keyv.get(leaseKey(ownerId)), this.now());
	}
}
