import type { Clock } from '../../domain/clock.js';
import type { Job, JobFailure, JobResult } from '../../domain/job.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import type { ProgressUpdater } from '../progress/progress-updater.js';
import type { JobCredits } from './job-credits.js';
import type { JobStore } from './job-store.js';

export interface JobEndingsDeps {
	store: JobStore;
	credits: JobCredits;
	estimates: RenderEstimates;
	progress: ProgressUpdater;
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
		metrics.jobEnded(ended.mode, state);
		logger.info(
			{ jobId: job.id, guildId: job.guildId, taskId: job.taskId, requestId: job.requestId, reason: failure.key, state },
			'job ended without a video; credits returned',
		);
		await progress.update(ended, { final: true });
	}
}
