import { createHash } from 'node:crypto';
import { RateLimitError } from './discord-errors.js';

export interface RateLimitMatch {
	method?: string;
	/** Tested against the API path without `/api/v10` and without the query, e.g. `/channels/1/messages`. */
	path: RegExp;
}

export interface RateLimitFault {
	times?: number;
	retryAfterSeconds: number;
	global?: boolean;
}

/**
 * An outage on some routes: an answer with this status (Discord's 5xx, or a 4xx refusal), no answer at all (the
 * client's own timeout ends the wait), or the connection dropped. The request is never carried out.
 */
export type RouteFault = { status: number } | { hang: true } | { drop: true };

export interface RouteFaultMatch extends RateLimitMatch {
	/** Only requests that upload files (multipart), e.g. to refuse uploads while text still goes through. */
	withFiles?: boolean;
}

/** What a request caught by a route fault gets, and for a hang, what ends it (the fault being cleared). */
export interface RouteFaultHit {
	fault: RouteFault;
	cleared: Promise<void>;
}

interface RouteFaultRule {
	match: RouteFaultMatch;
	fault: RouteFault;
	cleared: Promise<void>;
}

export interface ResponseHold {
	/** Requests whose answers are being held now. */
	readonly waiting: number;
	release(): void;
}

export interface EditRateLimit {
	perChannel: number;
	windowMs: number;
}

interface RateLimitRule {
	match: RateLimitMatch;
	remaining: number;
	fault: RateLimitFault;
}

function bucketHash(seed: string): string {
	return createHash('sha1').update(seed).digest('hex').slice(0, 16);
}

function matches(match: RateLimitMatch, method: string, path: string): boolean {
	return (match.method === undefined || match.method.toUpperCase() === method) && match.path.test(path);
}

/** Failures a test asks for, and the limits Discord enforces on its own. */
export class FaultInjector {
	private readonly expiredTokens = new Set<string>();
	private readonly closedDmUserIds = new Set<string>();
	private readonly rateLimitRules: RateLimitRule[] = [];
	private readonly editTimesByChannel = new Map<string, number[]>();
	private readonly responseDelays: Array<{ match: RateLimitMatch; remaining: number; ms: number }> = [];
	private readonly routeFaults: RouteFaultRule[] = [];
	private readonly responseHolds: Array<{ match: RateLimitMatch; released: Promise<void>; waiting: number }> = [];
	/** When the last 429 of each bucket runs out, by `now`: a request before then is answered 429 again. */
	private readonly limitedUntil = new Map<string, number>();

	constructor(
		private readonly editRateLimit: EditRateLimit | undefined,
		private readonly now: () => number = Date.now,
	) {}

	expireToken(token: string): void {
		this.expiredTokens.add(token);
	}

	isTokenExpired(token: string): boolean {
		return this.expiredTokens.has(token);
	}

	closeDms(userId: string): void {
		this.closedDmUserIds.add(userId);
	}

	areDmsClosed(userId: string): boolean {
		return this.closedDmUserIds.has(userId);
	}

	addRateLimit(match: RateLimitMatch, fault: RateLimitFault): void {
		this.rateLimitRules.push({ match, remaining: fault.times ?? 1, fault });
	}

	/** The 429 an injected limit answers, for as long as its Retry-After runs (as Discord's own limits do). */
	takeRateLimit(method: string, path: string): RateLimitError | undefined {
		const now = this.now();
		const rules = this.rateLimitRules.filter(({ match }) => matches(match, method, path));
		for (const { match, fault } of rules) {
			const bucket = bucketHash(`${match.method ?? '*'} ${match.path.source}`);
			const until = this.limitedUntil.get(bucket);
			if (until !== undefined && now < until) {
				return new RateLimitError((until - now) / 1000, fault.global ?? false, bucket, true);
			}
		}
		const rule = rules.find(({ remaining }) => remaining > 0);
		if (!rule) return undefined;
		rule.remaining -= 1;
		const bucket = bucketHash(`${rule.match.method ?? '*'} ${rule.match.path.source}`);
		this.limitedUntil.set(bucket, now + rule.fault.retryAfterSeconds * 1000);
		return new RateLimitError(rule.fault.retryAfterSeconds, rule.fault.global ?? false, bucket, false);
	}

	/** The request is carried out at once, but its answer arrives late: as a slow network or a process killed mid-call sees it. */
	addResponseDelay(match: RateLimitMatch, ms: number, times = 1): void {
		this.responseDelays.push({ match, remaining: times, ms });
	}

	takeResponseDelay(method: string, path: string): number {
		const rule = this.responseDelays.find(({ match, remaining }) => remaining > 0 && matches(match, method, path));
		if (!rule) return 0;
		rule.remaining -= 1;
		return rule.ms;
	}

	/** Every matching request meets `fault` until the returned function is called; a hung request is dropped then. */
	addRouteFault(match: RouteFaultMatch, fault: RouteFault): () => void {
		let clear = () => {};
		const cleared = new Promise<void>((resolve) => {
			clear = resolve;
		});
		const rule: RouteFaultRule = { match, fault, cleared };
		this.routeFaults.push(rule);
		return () => {
			const index = this.routeFaults.indexOf(rule);
			if (index >= 0) this.routeFaults.splice(index, 1);
			clear();
		};
	}

	routeFaultFor(method: string, path: string, withFiles: boolean): RouteFaultHit | undefined {
		const rule = this.routeFaults.find(
			({ match }) => matches(match, method, path) && (match.withFiles === undefined || match.withFiles === withFiles),
		);
		return rule && { fault: rule.fault, cleared: rule.cleared };
	}

	/**
	 * Answers to matching requests (carried out at once) wait until the hold is released: a Discord that is slow for
	 * exactly as long as a test needs, whatever the machine's speed.
	 */
	addResponseHold(match: RateLimitMatch): ResponseHold {
		let release = () => {};
		const released = new Promise<void>((resolve) => (release = resolve));
		const hold = { match, released, waiting: 0 };
		this.responseHolds.push(hold);
		return {
			get waiting() {
				return hold.waiting;
			},
			release: () => {
				this.responseHolds.splice(this.responseHolds.indexOf(hold), 1);
				release();
			},
		};
	}

	async waitForRelease(method: string, path: string): Promise<void> {
		const hold = this.responseHolds.find(({ match }) => matches(match, method, path));
		if (!hold) return;
		hold.waiting += 1;
		await hold.released;
		hold.waiting -= 1;
	}

	/** Counts an edit in the channel, or throws the 429 Discord answers beyond the limit. */
	recordEdit(channelId: string): void {
		if (!this.editRateLimit) return;
		const { perChannel, windowMs } = this.editRateLimit;
		const now = this.now();
		const recent = (this.editTimesByChannel.get(channelId) ?? []).filter((time) => now - time < windowMs);
		const oldest = recent[0];
		if (recent.length >= perChannel && oldest !== undefined) {
			this.editTimesByChannel.set(channelId, recent);
			const bucket = bucketHash(`edits ${channelId}`);
			const ignoredRunningLimit = now < (this.limitedUntil.get(bucket) ?? now);
			this.limitedUntil.set(bucket, oldest + windowMs);
			const retryAfterSeconds = Math.max(oldest + windowMs - now, 1) / 1000;
			throw new RateLimitError(retryAfterSeconds, false, bucket, ignoredRunningLimit);
		}
		this.editTimesByChannel.set(channelId, [...recent, now]);
	}
}
