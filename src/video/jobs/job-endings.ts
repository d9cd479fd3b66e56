import type { ActivityListener } from '../../domain/activity.js';
import type { Clock } from '../../domain/clock.js';
import type { EndedJobState, Job, JobFailure, JobResult } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { TaskLedger, TaskOutcome } from '../../storage/task-ledger.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import type { ProgressScheduler } from '../progress/progress-scheduler.js';
import type { JobCredits } from './job-credits.js';
import type { ExpectedJob, JobStore } from './job-store.js';
import { taskOutcomeOf } from './task-outcome.js';

export interface JobEndingsDeps {
	store: JobStore;
	credits: JobCredits;
	estimates: RenderEstimates;
	progress: Pick<ProgressScheduler, 'want'>;
	tasks: Pick<TaskLedger, 'add'>;
	metrics: BotMetrics;
	/** Told of every job that ended; never awaited. */
	activity: ActivityListener;
	logger: Logger;
	resultUrlLifetimeMs: number;
	now: Clock;
}

interface FailOptions {
	/** The states this path expects the job in; any other and the job is left as it is. */
	expected: ExpectedJob;
	state?: 'failed' | 'timed_out' | 'cancelled';
	mayHaveBilled?: boolean;
}

type JobEnding = { state: EndedJobState } & Partial<Pick<Job, 'result' | 'failure'>>;

export interface FinishedRender {
	videoUrl: string;
	renderSeconds: number;
	/** When the provider says the render finished (its URL's life starts then), if it says. */
	finishedAt?: number;
}

/**
 * Where a job's credits are decided, each behind a state change that only one path can make: kept once the provider
 * reports Success (it billed the video), returned when no video was made. The member is told each time.
 */
export class JobEndings {
	constructor(private readonly deps: JobEndingsDeps) {}

	/**
	 * The provider made the video: its URL is stored before anything is downloaded, so no failure after this can lose
	 * it, and the credits are kept. Undefined when another path moved the job first.
	 */
	async videoReady(job: Job, expected: ExpectedJob, render: FinishedRender): Promise<Job | undefined> {
		const { store, credits, estimates, metrics, logger, resultUrlLifetimeMs, now } = this.deps;
		const finishedAt = Math.min(now(), render.finishedAt ?? now());
		const ready = await store.update(job.id, expected, () => ({
			state: 'delivering',
			result: { providerUrl: render.videoUrl, expiresAt: finishedAt + resultUrlLifetimeMs, linkOnly: false },
			renderSeconds: render.renderSeconds,
		}));
		if (!ready) {
			this.#refused(job, 'delivering');
			return undefined;
		}
		const context = jobLogContext(job);
		await this.#recordOutcome(ready, taskOutcomeOf(ready, 'succeeded'));
		metrics.creditsSpent(ready.cost);
		logger.info({ ...context, ...render }, 'video made; delivering it');
		try {
			await credits.settle(ready.reservation);
			await estimates.record(ready.settings.resolution, ready.settings.duration, render.renderSeconds);
		} catch (error) {
			// The video still goes out; the next start settles credits still held for a job in this state.
			logger.error({ ...context, err: error }, 'could not keep the credits of a made video yet');
		}
		return ready;
	}

	async delivered(job: Job, result: JobResult): Promise<void> {
		const ended = await this.#end(job, ['delivering'], { state: 'succeeded', result });
		if (!ended) return;
		const { metrics, logger, resultUrlLifetimeMs, now } = this.deps;
		// The URL's life was counted from when the provider finished, so that moment is read back from its expiry.
		if (job.result) metrics.videoDelivered((now() - (job.result.expiresAt - resultUrlLifetimeMs)) / 1000);
		logger.info({ ...jobLogContext(job), linkOnly: result.linkOnly }, 'job delivered');
		this.deps.progress.want(ended);
	}

	/** The provider's URL died before Discord took the video: billed, so the credits stay spent, and everyone is told. */
	async expired(job: Job): Promise<void> {
		const failure: JobFailure = { key: 'job.resultExpired', params: {} };
		const ended = await this.#end(job, ['delivering'], { state: 'expired', failure });
		if (!ended) return;
		this.deps.logger.error(
			{ ...jobLogContext(job), credits: job.cost },
			'video made and billed, but its link expired before Discord took it',
		);
		this.deps.progress.want(ended);
	}

	/**
	 * No video was made: the credits go back, once, by whichever path ends the job first. When the submit may have
	 * created a task (its answer was lost), the member still gets them back but the operator's caps keep counting them.
	 * Returns the ended job, or undefined when another path ended or moved it first.
	 */
	async fail(job: Job, failure: JobFailure, options: FailOptions): Promise<Job | undefined> {
		const { credits, progress, metrics, logger } = this.deps;
		const { expected, state = 'failed', mayHaveBilled = false } = options;
		const ended = await this.#end(job, expected, { state, failure });
		if (!ended) return undefined;
		if (!mayHaveBilled) await credits.release(ended.reservation);
		else if (await credits.releaseUnknown(ended.reservation)) metrics.unknownOutcome(ended.cost);
		await this.#recordOutcome(ended, taskOutcomeOf(ended, state, failure), failure.key);
		logger.info({ ...jobLogContext(job), reason: failure.key, state }, 'job ended without a video; credits returned');
		progress.want(ended);
		return ended;
	}

	/** The one change that ends a job; undefined (and logged) when another path ended or moved it first. */
	async #end(job: Job, expected: ExpectedJob, ending: JobEnding): Promise<Job | undefined> {
		const { store, metrics, now } = this.deps;
		const ended = await store.update(job.id, expected, () => ({ ...ending, finishedAt: now() }));
		if (!ended) {
			this.#refused(job, ending.state);
			return undefined;
		}
		metrics.jobEnded(ended.mode, ending.state);
		this.deps.activity({ kind: 'job-ended', job: ended });
		return ended;
	}

	/** The operator's record of the submit; a fault there must not keep the member from their video or credits. */
	async #recordOutcome(job: Job, outcome: TaskOutcome, reason?: string): Promise<void> {
		const { tasks, logger } = this.deps;
		const context = { ...jobLogContext(job), outcome };
		try {
			const refused = await tasks.add(job.id, { outcome, endedAt: job.finishedAt, reason });
			if (refused.length > 0) logger.error({ ...context, refused }, 'task record already held another outcome');
		} catch (error) {
			logger.error({ ...context, err: error }, 'task record not updated with its outcome');
		}
	}

	#refused(job: Job, wanted: string): void {
		this.deps.logger.info({ ...jobLogContext(job), wanted }, 'job had already moved on; change not applied');
	}
}
