import type { Clock } from '../../domain/clock.js';

/**
 * The lease's last tenth is kept clear of posts: a sibling's clock a little ahead of this one, or a post Discord takes
 * in just as it is abandoned, still land before a sibling can adopt the job and search the channel for an earlier post.
 */
const MARGIN_SHARE = 0.1;
/**
 * A post is started only with a fifth of the lease to run in: with less, an upload would most likely be cut off and
 * leave only a search of the channel to say whether it landed. Margin and floor (3 s and 6 s of the default 30 s) stay
 * under the third that renewals every third of the lease leave spare: a process whose renewals go through never
 * holds a post back.
 */
const FLOOR_SHARE = 0.2;

/** How long a post may run before the lease held until `heldUntil` could lapse under it; none when too short to start. */
export function postWindowMs(heldUntil: number, now: number, leaseMs: number): number | undefined {
	const window = heldUntil - now - leaseMs * MARGIN_SHARE;
	return window >= leaseMs * FLOOR_SHARE ? Math.floor(window) : undefined;
}

export interface LeaseFenceDeps {
	/** Until when this process surely holds the job (its lock's last renewal that went through); undefined if it does not. */
	heldUntil: (jobId: string) => number | undefined;
	leaseMs: number;
	now: Clock;
}

/**
 * A job's holder checks it owns the job before a download that can outlast its lock: a process that cannot renew (Redis
 * unreachable, its event loop stalled) would post a video a sibling has taken over and posted meanwhile. The fence
 * closes that gap: each post starts only while the lease will outlive it, and is abandoned before the lease can lapse.
 */
export class LeaseFence {
	constructor(private readonly deps: LeaseFenceDeps) {}

	/**
	 * The signal one post carries, aborted before the lease could lapse. Throws when too little of the lease is left:
	 * the delivery is tried again later, after reading the job again, so a job a sibling adopted is left to it.
	 */
	postSignal(jobId: string): AbortSignal {
		const { heldUntil, leaseMs, now } = this.deps;
		const until = heldUntil(jobId);
		if (until === undefined) throw new Error('this process no longer holds the job');
		const windowMs = postWindowMs(until, now(), leaseMs);
		if (windowMs === undefined) {
			throw new Error(`the job's lock, held until ${new Date(until).toISOString()}, could lapse before a post lands`);
		}
		return AbortSignal.timeout(windowMs);
	}
}
