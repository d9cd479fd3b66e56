import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../ops/logger.js';

export interface PollerOptions {
	/** The global budget of status queries per second, shared by every open job. */
	queriesPerSecond: number;
	/**
	 * Poll every job on this fixed timer from the moment it is tracked, whatever each poll planned: what public
	 * clients do, kept as the benchmark's baseline so that everything else about the bot stays equal.
	 */
	fixedIntervalMs?: number;
}

/**
 * What one poll decided: when to look again, or that the job needs no more polling. `pauseAllForMs` is the provider
 * asking every client to slow down (429 with Retry-After): it holds all queries, not just this job's.
 */
export type PollOutcome = { nextPollInMs: number; pauseAllForMs?: number } | { done: true };

export type PollJob = (jobId: string) => Promise<PollOutcome>;

/**
 * Queries are started a little further apart than the budget allows: a start is not an arrival, and network jitter
 * could otherwise put one query too many inside some second at the provider.
 */
const SPACING_MARGIN = 0.1;

/**
 * One scheduler for every open task, instead of a timer per job. Queries start at least `1000 / queriesPerSecond` ms
 * apart, so the budget holds in every window, and the most overdue job goes first.
 */
export class Poller {
	readonly #dueAt = new Map<string, number>();
	readonly #inFlight = new Set<string>();
	readonly #pending = new Set<Promise<void>>();
	readonly #spacingMs: number;
	readonly #fixedIntervalMs: number | undefined;
	#lastStartAt = Number.NEGATIVE_INFINITY;
	#pausedUntil = 0;
	#timer: NodeJS.Timeout | undefined;
	#running = false;
	#lastTickAt = 0;
	#pollJob: PollJob | undefined;

	constructor(
		options: PollerOptions,
		private readonly logger: Logger,
		private readonly now: Clock = Date.now,
	) {
		this.#spacingMs = (1000 / options.queriesPerSecond) * (1 + SPACING_MARGIN);
		this.#fixedIntervalMs = options.fixedIntervalMs;
	}

	get size(): number {
		return this.#dueAt.size;
	}

	/** Milliseconds since the scheduler last ran: a health signal. */
	get lagMs(): number {
		return this.#running ? this.now() - this.#lastTickAt : 0;
	}

	track(jobId: string, firstPollAt: number): void {
		this.#dueAt.set(jobId, this.#fixedIntervalMs === undefined ? firstPollAt : this.now() + this.#fixedIntervalMs);
		this.#wake();
	}

	untrack(jobId: string): void {
		this.#dueAt.delete(jobId);
	}

	start(pollJob: PollJob): void {
		this.#pollJob = pollJob;
		this.#running = true;
		this.#lastTickAt = this.now();
		this.#wake();
	}

	/** Stops scheduling and waits for the polls already under way, so their writes land before the store closes. */
	async stop(): Promise<void> {
		this.#running = false;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		await Promise.allSettled([...this.#pending]);
	}

	#wake(): void {
		if (!this.#running) return;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.#tick(), Math.max(0, this.#msUntilNextStart()));
	}

	#msUntilNextStart(): number {
		let earliest = Number.POSITIVE_INFINITY;
		for (const [jobId, dueAt] of this.#dueAt) {
			if (!this.#inFlight.has(jobId) && dueAt < earliest) earliest = dueAt;
		}
		if (earliest === Number.POSITIVE_INFINITY) return 1_000;
		const allowedAt = Math.max(earliest, this.#lastStartAt + this.#spacingMs, this.#pausedUntil);
		return Math.min(1_000, allowedAt - this.now());
	}

	#tick(): void {
		this.#timer = undefined;
		if (!this.#running || !this.#pollJob) return;
		const now = this.now();
		this.#lastTickAt = now;
		const next = this.#mostOverdue(now);
		if (next && now >= this.#pausedUntil && now - this.#lastStartAt >= this.#spacingMs) {
			this.#lastStartAt = now;
			const poll = this.#poll(next, this.#pollJob);
			this.#pending.add(poll);
			void poll.finally(() => this.#pending.delete(poll));
		}
		this.#wake();
	}

	#mostOverdue(now: number): string | undefined {
		let chosen: string | undefined;
		let chosenDueAt = Number.POSITIVE_INFINITY;
		for (const [jobId, dueAt] of this.#dueAt) {
			if (dueAt <= now && dueAt < chosenDueAt && !this.#inFlight.has(jobId)) {
				chosen = jobId;
				chosenDueAt = dueAt;
			}
		}
		return chosen;
	}

	async #poll(jobId: string, pollJob: PollJob): Promise<void> {
		this.#inFlight.add(jobId);
		let outcome: PollOutcome;
		try {
			outcome = await pollJob(jobId);
		} catch (error) {
			this.logger.error({ err: error, jobId }, 'poll failed; trying again later');
			outcome = { nextPollInMs: 10_000 };
		} finally {
			this.#inFlight.delete(jobId);
		}
		if ('done' in outcome) this.#dueAt.delete(jobId);
		else {
			if (outcome.pauseAllForMs !== undefined) {
				this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + outcome.pauseAllForMs);
			}
			if (this.#dueAt.has(jobId)) this.#dueAt.set(jobId, this.now() + (this.#fixedIntervalMs ?? outcome.nextPollInMs));
		}
		this.#wake();
	}
}
