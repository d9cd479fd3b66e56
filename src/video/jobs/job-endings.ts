import type { Clock } from '../../domain/clock.js';
import type { Job, JobFailure, JobResult } from '../../domain/job.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { TaskLedger, TaskOutcome } from '../../storage/task-ledger.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import type { ProgressUpdater } from '../progress/progress-updater.js';
import type { JobCredits } from './job-credits.js';
import type { JobStore } from './job-store.js';
import { taskOutcomeOf } from './task-outcome.js';

export interface JobEndingsDeps {
	store: JobStore;
	credits: JobCredits;
	estimates: RenderEstimates;
	progress: ProgressUpdater;
	tasks: Pick<TaskLedger, 'add'>;
	metrics: BotMetrics;
	logger: Logger;
	now: Clock;
}

/** The only ways a job ends. Each returns credits or keeps them exactly once and tells the member. */
export class JobEndings {
	constructor(private readonly deps: JobEndingsDeps) {}

	async succeed(job: Job, result: JobResult, renderSeconds: number): Promise<void> {
		const { store, credits, estimates, progress, metrics, logger, now } = this.deps;
		const ended = await store.update(job.id, () => ({ state: 'succeeded', result, renderSeconds, finishedAt: now() }));
		await credits.settle(ended.reservation);
		await this.#recordOutcome(ended, taskOutcomeOf(ended, 'succeeded'));
		metrics.jobEnded(ended.mode, 'succeeded');
		metrics.creditsSpent(ended.cost);
		await estimates.record(ended.settings.resolution, ended.settings.duration, renderSeconds);
		logger.info(
			{ jobId: job.id, guildId: job.guildId, taskId: job.taskId, requestId: job.requestId, renderSeconds },
			'job delivered',
		);
		await progress.update(ended, { final: true });
	}

	async fail(job: Job, failure: JobFailure, state: 'failed' | 'timed_out' = 'failed'): Promise<void> {
		const { store, credits, progress, metrics, logger, now } = this.deps;
		const ended = await store.update(job.id, () => ({ state, failure, finishedAt: now() }));
		await credits.release(ended.reservation);
		await this.#recordOutcome(ended, taskOutcomeOf(ended, state, failure), failure.key);
		metrics.jobEnded(ended.mode, state);
		logger.info(
			{ jobId: job.id, guildId: job.guildId, taskId: job.taskId, requestId: job.requestId, reason: failure.key, state },
			'job ended without a video; credits returned',
		);
		await progress.update(ended, { final: true });
	}

	/** The operator's record of the submit; a fault there must not keep the member from their video or credits. */
	async #recordOutcome(job: Job, outcome: TaskOutcome, reason?: string): Promise<void> {
		const { tasks, logger } = this.deps;
		const context = { jobId: job.id, guildId: job.guildId, taskId: job.taskId, requestId: job.requestId, outcome };
		try {
			const refused = await tasks.add(job.id, { outcome, endedAt: job.finishedAt, reason });
			if (refused.length > 0) logger.error({ ...context, refused }, 'task record already held another outcome');
		} catch (error) {
			logger.error({ ...context, err: error }, 'task record not updated with its outcome');
		}
	}
}
