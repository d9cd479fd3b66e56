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
 * What matching requests meet until the fault is ended. An outage is never carried out: it is answered `status`
 * (Discord's 5xx, or a 4xx refusal), gets no answer at all (the client's own timeout ends the wait; the connection is
 * dropped when the fault ends), or has its connection dropped at once. A `hold` is carried out at once but its answer
 * waits until the fault ends: a Discord that is slow for exactly as long as a test needs, whatever the machine's speed.
 * An `answerLost` request is carried out but answered with that status instead of its result, as when Discord's edge
 * loses the answer to a request its backend already took (a 503 after the message was created).
 * A `status` answer carries Discord's JSON error `code` and `message` when given (e.g. 403 with 50001 Missing Access).
 */
export type RouteFault =
	| { status: number; code?: number; message?: string }
	| { hang: true }
	| { drop: true }
	| { hold: true }
	| { answerLost: number };

export interface RouteFaultMatch extends RateLimitMatch {
	/** Only requests that upload files (multipart), e.g. to refuse uploads while text still goes through. */
	withFiles?: boolean;
}

/** A fault in force until `end` is called. */
export interface RouteFaultControl {
	/** Requests hung or held by it now. */
	readonly waiting: number;
	end(): void;
}

/** The fault a request met, and how it waits for the fault to end (counted in `waiting` meanwhile). */
export interface RouteFaultHit {
	fault: RouteFault;
	waitForEnd(orUntil?: Promise<unknown>): Promise<void>;
}

interface RouteFaultRule {
	match: RouteFaultMatch;
	fault: RouteFault;
	ended: Promise<void>;
	waiting: number;
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

/** Failures a test asks for: limits and outages on top of what Discord does on its own. */
export class FaultInjector {
	private readonly expiredTokens = new Set<string>();
	private readonly closedDmUserIds = new Set<string>();
	private readonly rateLimitRules: RateLimitRule[] = [];
	private readonly routeFaults: RouteFaultRule[] = [];
	/** When the last 429 of each bucket runs out, by `now`: a request before then is answered 429 again. */
	private readonly limitedUntil = new Map<string, number>();

	constructor(private readonly now: () => number = Date.now) {}

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
				return new RateLimitError({
					retryAfterSeconds: (until - now) / 1000,
					global: fault.global ?? false,
					bucket,
					limit: 1,
					ignoredRunningLimit: true,
				});
			}
		}
		const rule = rules.find(({ remaining }) => remaining > 0);
		if (!rule) return undefined;
		rule.remaining -= 1;
		const bucket = bucketHash(`${rule.match.method ?? '*'} ${rule.match.path.source}`);
		this.limitedUntil.set(bucket, now + rule.fault.retryAfterSeconds * 1000);
		return new RateLimitError({
			retryAfterSeconds: rule.fault.retryAfterSeconds,
			global: rule.fault.global ?? false,
			bucket,
			limit: 1,
			ignoredRunningLimit: false,
		});
	}

	addRouteFault(match: RouteFaultMatch, fault: RouteFault): RouteFaultControl {
		let end = () => {};
		const ended = new Promise<void>((resolve) => {
			end = resolve;
		});
		const rule: RouteFaultRule = { match, fault, ended, waiting: 0 };
		this.routeFaults.push(rule);
		return {
			get waiting() {
				return rule.waiting;
			},
			end: () => {
				const index = this.routeFaults.indexOf(rule);
				if (index >= 0) this.routeFaults.splice(index, 1);
				end();
			},
		};
	}

	routeFaultFor(method: string, path: string, withFiles: boolean): RouteFaultHit | undefined {
		const rule = this.routeFaults.find(
			({ match }) => matches(match, method, path) && (match.withFiles === undefined || match.withFiles === withFiles),
		);
		if (!rule) return undefined;
		return {
			fault: rule.fault,
			waitForEnd: async (orUntil) => {
				rule.waiting += 1;
				try {
					await (orUntil ? Promise.race([rule.ended, orUntil]) : rule.ended);
				} finally {
					rule.waiting -= 1;
				}
			},
		};
	}
}
