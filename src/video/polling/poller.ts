import type { Clock } from '../../domain/clock.js';
import { SPACING_MARGIN } from '../../domain/query-budget.js';
import type { Logger } from '../../ops/logger.js';
import { type FinishForecast, nextToPoll, type PlannedPoll } from './poll-order.js';

export interface PollerOptions {
	/** The global budget of status queries per second, shared by every open job. */
	queriesPerSecond: number;
	/**
	 * Poll every job on this fixed timer from the moment it is tracked, whatever each poll planned: what public
	 * clients do, kept as the benchmark's baseline so that everything else about the bot stays equal.
	 */
	fixedIntervalMs?: number;
	/** The budget shared with other processes on the same API key: every query takes a permit first. */
	permits?: QueryPermits;
}

/** A permit for one status query now, or how long until one may be granted. */
type PermitAnswer = { granted: true } | { retryInMs: number };

/**
 * The provider's budget shared by every process on the API key. Neither method rejects: a budget it cannot reach
 * answers with a wait, so no query is sent without a permit.
 */
export interface QueryPermits {
	take(): Promise<PermitAnswer>;
	/** The provider asked for a pause: it holds every process on the API key, not only the one that was told. */
	hold(forMs: number): Promise<void>;
}

/**
 * What one poll decided: when to look again, or that the job needs no more polling. `pauseAllForMs` is the provider
 * asking every client to slow down (429 with Retry-After): it holds all queries, not just this job's.
 */
export type PollOutcome = { nextPollInMs: number; pauseAllForMs?: number } | { done: true };

/** A job's task: the query needs nothing else, so it leaves the moment its turn comes. */
export interface PolledTask {
	jobId: string;
	taskId: string;
}

export type PollJob = (task: PolledTask) => Promise<PollOutcome>;

interface TrackedPoll extends PlannedPoll {
	taskId: string;
}

/** Where a job's finish is likely, by what the caller has learned (and goes on learning); undefined when it cannot tell. */
export type ForecastJob = (jobId: string) => Promise<FinishForecast | undefined>;

/** How far apart queries start to keep within `queriesPerSecond` in every window at the provider. */
export const querySpacingMs = (queriesPerSecond: number) => (1000 / queriesPerSecond) * (1 + SPACING_MARGIN);

/**
 * One scheduler for every open task, instead of a timer per job. Queries start at least `1000 / queriesPerSecond` ms
 * apart, so the budget holds in every window; when more jobs are due than it allows, the one whose video has most
 * likely waited longest unseen goes first (see poll-order.ts).
 */
export class Poller {
	readonly #polls = new Map<string, TrackedPoll>();
	readonly #inFlight = new Set<string>();
	readonly #pending = new Set<Promise<void>>();
	readonly #spacingMs: number;
	readonly #fixedIntervalMs: number | undefined;
	readonly #permits: QueryPermits | undefined;
	#askingPermit = false;
	#permitAt = 0;
	#lastStartAt = Number.NEGATIVE_INFINITY;
	#pausedUntil = 0;
	#timer: NodeJS.Timeout | undefined;
	#running = false;
	#lastTickAt = 0;
	#pollJob: PollJob | undefined;
	#forecastJob: ForecastJob | undefined;

	constructor(
		options: PollerOptions,
		private readonly logger: Logger,
		private readonly now: Clock = Date.now,
	) {
		this.#spacingMs = querySpacingMs(options.queriesPerSecond);
		this.#fixedIntervalMs = options.fixedIntervalMs;
		this.#permits = options.permits;
	}

	get size(): number {
		return this.#polls.size;
	}

	/** Milliseconds since the scheduler last ran: a health signal. */
	get lagMs(): number {
		return this.#running ? this.now() - this.#lastTickAt : 0;
	}

	/** Without a `forecast`, the poller asks `forecastJob` (given at start) for one. */
	track({ jobId, taskId }: PolledTask, firstPollAt: number, forecast?: FinishForecast): void {
		const dueAt = this.#fixedIntervalMs === undefined ? firstPollAt : this.now() + this.#fixedIntervalMs;
		this.#polls.set(jobId, { taskId, dueAt, runningAt: this.now(), ...(forecast ? { forecast } : {}) });
		if (!forecast) this.#fetchForecast(jobId);
		this.#wake();
	}

	untrack(jobId: string): void {
		this.#polls.delete(jobId);
	}

	start(pollJob: PollJob, forecastJob?: ForecastJob): void {
		this.#pollJob = pollJob;
		this.#forecastJob = forecastJob;
		for (const [jobId, planned] of this.#polls) if (!planned.forecast) this.#fetchForecast(jobId);
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
		// A permit being asked for wakes the scheduler itself once answered.
		if (!this.#running || this.#askingPermit) return;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.#tick(), Math.max(0, this.#msUntilNextStart()));
	}

	#msUntilNextStart(): number {
		let earliest = Number.POSITIVE_INFINITY;
		for (const [jobId, { dueAt }] of this.#polls) {
			if (!this.#inFlight.has(jobId) && dueAt < earliest) earliest = dueAt;
		}
		if (earliest === Number.POSITIVE_INFINITY) return 1_000;
		const allowedAt = Math.max(earliest, this.#lastStartAt + this.#spacingMs, this.#pausedUntil, this.#permitAt);
		return Math.min(1_000, allowedAt - this.now());
	}

	#tick(): void {
		this.#timer = undefined;
		if (!this.#running || !this.#pollJob) return;
		const now = this.now();
		this.#lastTickAt = now;
		const next = nextToPoll(this.#polls, now, this.#inFlight);
		const allowed = now >= this.#pausedUntil && now >= this.#permitAt && now - this.#lastStartAt >= this.#spacingMs;
		if (next && allowed) {
			if (this.#permits) {
				void this.#askPermit(this.#permits, this.#pollJob);
				return;
			}
			this.#startPoll(next, this.#pollJob);
		}
		this.#wake();
	}

	/**
	 * The permit goes to whichever job heads the order when it is granted: others may have fallen due, or ended,
	 * while it was asked for. A permit no job can use any more is simply not spent.
	 */
	async #askPermit(permits: QueryPermits, pollJob: PollJob): Promise<void> {
		this.#askingPermit = true;
		const answer = await permits.take();
		this.#askingPermit = false;
		if (!this.#running) return;
		const now = this.now();
		if ('retryInMs' in answer) this.#permitAt = now + answer.retryInMs;
		else {
			const head = nextToPoll(this.#polls, now, this.#inFlight);
			if (head) this.#startPoll(head, pollJob);
		}
		this.#wake();
	}

	#startPoll(jobId: string, pollJob: PollJob): void {
		const tracked = this.#polls.get(jobId);
		if (!tracked) return;
		this.#lastStartAt = this.now();
		const poll = this.#poll({ jobId, taskId: tracked.taskId }, pollJob);
		this.#pending.add(poll);
		void poll.finally(() => this.#pending.delete(poll));
	}

	async #poll(task: PolledTask, pollJob: PollJob): Promise<void> {
		const { jobId } = task;
		const askedAt = this.now();
		this.#inFlight.add(jobId);
		let outcome: PollOutcome;
		try {
			outcome = await pollJob(task);
		} catch (error) {
			this.logger.error({ err: error, jobId }, 'poll failed; trying again later');
			outcome = { nextPollInMs: 10_000 };
		} finally {
			this.#inFlight.delete(jobId);
		}
		const planned = this.#polls.get(jobId);
		if ('done' in outcome) this.#polls.delete(jobId);
		else {
			if (outcome.pauseAllForMs !== undefined) {
				this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + outcome.pauseAllForMs);
				void this.#permits?.hold(outcome.pauseAllForMs);
			}
			if (planned) {
				planned.dueAt = this.now() + (this.#fixedIntervalMs ?? outcome.nextPollInMs);
				planned.runningAt = askedAt;
			}
		}
		this.#wake();
	}

	#fetchForecast(jobId: string): void {
		const forecastJob = this.#forecastJob;
		if (!forecastJob) return;
		forecastJob(jobId).then(
			(forecast) => {
				const planned = this.#polls.get(jobId);
				if (planned && forecast) planned.forecast = forecast;
			},
			(error: unknown) => this.logger.warn({ err: error, jobId }, 'no forecast for the job; it is polled as due'),
		);
	}
}
