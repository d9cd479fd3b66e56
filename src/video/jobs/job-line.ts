import type { Clock } from '../../domain/clock.js';
import type { Job } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { Logger } from '../../ops/logger.js';
import { KeyedMutex } from '../../storage/keyed-mutex.js';
import type { ProgressScheduler } from '../progress/progress-scheduler.js';
import type { JobCredits } from './job-credits.js';
import type { JobEndings } from './job-endings.js';
import type { JobStore } from './job-store.js';

export interface JobLineDeps {
	store: JobStore;
	credits: Pick<JobCredits, 'takeTurns' | 'line'>;
	endings: Pick<JobEndings, 'fail'>;
	progress: Pick<ProgressScheduler, 'want'>;
	/** Sends a job whose turn came; it does nothing unless the job is still `in_line`. */
	start: (jobId: string) => Promise<void>;
	logger: Logger;
	/** How long a job may wait in line; its `deadlineAt` while it waits. */
	lineDeadlineMs: number;
	now: Clock;
}

/** setTimeout fires at once past this; a later deadline is checked again when it fires. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Each server's line of jobs waiting for a running slot. The credit ledger holds the line itself (who waits, with
 * which ticket), so it survives restarts and changes in the same write as the credits; this class starts the jobs
 * whose turn came, keeps each waiting job's place shown, ends those that waited too long, and cancels.
 *
 * A job's turn is taken in the ledger before its record leaves `in_line`: a stop between the two leaves a job that
 * holds a running slot but still waits, and `resume` starts it.
 */
export class JobLine {
	readonly #deadlines = new Map<string, NodeJS.Timeout>();
	/** One move of a server's line at a time, so turns are taken and places shown in order. */
	readonly #moving = new KeyedMutex();
	readonly #starting = new Set<Promise<void>>();
	/** Lines stay still until start-up recovery has settled what a stop left behind. */
	#open = false;

	constructor(private readonly deps: JobLineDeps) {}

	/**
	 * A job just stored `in_line`. Its turn may have been taken while it was being stored, before it could be started:
	 * then it starts now. Its place is then shown (in the background, as all progress is: a busy bucket shows only the
	 * latest place), so its reply never says "thinking…" for as long as it waits.
	 */
	async joined(job: Job): Promise<void> {
		this.#watchDeadline(job);
		const line = await this.deps.credits.line(job.guildId);
		if (!line.some((place) => place.jobId === job.id)) this.#begin(job.id);
		await this.move(job.guildId);
		const placed = await this.deps.store.get(job.id);
		if (placed?.state === 'in_line') this.deps.progress.want(placed);
	}

	/** Starts every job whose turn has come in the server's line, then shows the others their new places. */
	async move(guildId: string): Promise<void> {
		if (!this.#open) return;
		try {
			const moved = await this.#moving.run(guildId, async () => {
				for (const jobId of await this.deps.credits.takeTurns(guildId)) this.#begin(jobId);
				return this.#placeWaiting(guildId);
			});
			// Progress is a courtesy, shown outside the line's lock so a slow Discord never holds up a turn.
			for (const jobId of moved) await this.#showPlace(jobId);
		} catch (error) {
			this.deps.logger.error({ err: error, guildId }, 'the line could not move; it moves again when a job ends');
		}
	}

	/** Ends a waiting job and returns its credits; undefined when it had left the line (started or ended) first. */
	async cancel(job: Job, byModerator: boolean): Promise<Job | undefined> {
		const key = byModerator ? 'job.cancelledByModerator' : 'job.cancelled';
		const failure = { key, params: { credits: job.cost } } as const;
		const cancelled = await this.deps.endings.fail(job, failure, { expected: ['in_line'], state: 'cancelled' });
		if (cancelled) this.#forgetDeadline(job.id);
		return cancelled;
	}

	/**
	 * After a restart: a waiting job whose turn was taken before the stop starts now; the others wait on, each with its
	 * deadline, in the order their tickets keep. Then every server's line moves once.
	 */
	async resume(waiting: readonly Job[], guildIds: Iterable<string>): Promise<void> {
		this.#open = true;
		const guilds = new Set([...guildIds, ...waiting.map((job) => job.guildId)]);
		for (const guildId of guilds) {
			try {
				const line = new Set((await this.deps.credits.line(guildId)).map((place) => place.jobId));
				for (const job of waiting.filter((each) => each.guildId === guildId)) {
					if (line.has(job.id)) this.#watchDeadline(job);
					else this.#begin(job.id);
				}
			} catch (error) {
				this.deps.logger.error({ err: error, guildId }, 'the line of this server could not be read at start-up');
			}
			await this.move(guildId);
		}
	}

	/** Stops the deadline timers and resolves once the starts under way are done. */
	async stop(): Promise<void> {
		for (const timer of this.#deadlines.values()) clearTimeout(timer);
		this.#deadlines.clear();
		await Promise.allSettled([...this.#starting]);
	}

	#begin(jobId: string): void {
		this.#forgetDeadline(jobId);
		const starting = this.deps
			.start(jobId)
			.catch((error: unknown) => this.deps.logger.error({ err: error, jobId }, 'a job from the line failed to start'))
			.finally(() => this.#starting.delete(starting));
		this.#starting.add(starting);
	}

	/** Stores each waiting job's new place; returns the jobs whose place changed. */
	async #placeWaiting(guildId: string): Promise<string[]> {
		const { store, credits } = this.deps;
		const moved: string[] = [];
		for (const [index, place] of (await credits.line(guildId)).entries()) {
			const job = await store.get(place.jobId);
			if (job?.state !== 'in_line' || job.linePosition === index + 1) continue;
			if (await store.update(job.id, ['in_line'], () => ({ linePosition: index + 1 }))) moved.push(job.id);
		}
		return moved;
	}

	async #showPlace(jobId: string): Promise<void> {
		const job = await this.deps.store.get(jobId);
		if (job?.state === 'in_line') this.deps.progress.want(job);
	}

	#watchDeadline(job: Job): void {
		this.#forgetDeadline(job.id);
		const timer = setTimeout(
			() => {
				this.#deadlines.delete(job.id);
				void this.expire(job.id).catch((error: unknown) =>
					this.deps.logger.error({ err: error, jobId: job.id }, 'a job that waited too long could not be ended'),
				);
			},
			Math.min(LONGEST_TIMER_MS, Math.max(0, job.deadlineAt - this.deps.now())),
		);
		this.#deadlines.set(job.id, timer);
	}

	#forgetDeadline(jobId: string): void {
		clearTimeout(this.#deadlines.get(jobId));
		this.#deadlines.delete(jobId);
	}

	/**
	 * Nothing was sent for a job that waited past its deadline, so it ends with its credits returned. A job not yet due
	 * is watched again; one that left the line is left alone.
	 */
	async expire(jobId: string): Promise<void> {
		const job = await this.deps.store.get(jobId);
		if (job?.state !== 'in_line') return;
		if (this.deps.now() < job.deadlineAt) {
			this.#watchDeadline(job);
			return;
		}
		const minutes = Math.round(this.deps.lineDeadlineMs / 60_000);
		this.deps.logger.info(jobLogContext(job), 'job waited in line past its deadline');
		const failure = { key: 'job.lineTimedOut', params: { minutes } } as const;
		await this.deps.endings.fail(job, failure, { expected: ['in_line'], state: 'timed_out' });
	}
}
