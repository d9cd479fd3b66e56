import type { Job } from '../../domain/job.js';
import { ModelverseError } from '../../modelverse/errors.js';
import type { TaskStatus } from '../../modelverse/wire.js';
import { nextPollDelay } from '../polling/poll-schedule.js';
import type { PollOutcome } from '../polling/poller.js';
import type { JobDeps } from './job-deps.js';
import type { JobEndings } from './job-endings.js';

/** One status query for one job, and what it means for the job. */
export class JobPoll {
	readonly #consecutiveErrors = new Map<string, number>();

	constructor(
		private readonly deps: JobDeps,
		private readonly endings: JobEndings,
	) {}

	readonly poll = async (jobId: string): Promise<PollOutcome> => {
		const { store, now } = this.deps;
		const job = await store.get(jobId);
		if (!job?.taskId || !['queued', 'rendering', 'delivering'].includes(job.state)) return { done: true };
		if (now() > job.deadlineAt) {
			const minutes = Math.round(this.deps.settings.jobDeadlineMs / 60_000);
			await this.endings.fail(job, { key: 'job.timedOut', params: { minutes } }, 'timed_out');
			return { done: true };
		}
		const { taskId } = job;
		let status: TaskStatus;
		try {
			const { modelverse, metrics } = this.deps;
			status = await metrics.timeModelverse('status', () => modelverse.status(taskId));
			this.#consecutiveErrors.delete(jobId);
		} catch (error) {
			return { nextPollInMs: this.#afterError(job, error) };
		}
		return this.#apply(job, status);
	};

	async #apply(job: Job, status: TaskStatus): Promise<PollOutcome> {
		const { store, progress, now } = this.deps;
		if (status.state === 'failure') {
			const reason = status.errorMessage ?? status.rawStatus;
			await this.endings.fail(job, { key: 'job.failed', params: { reason } });
			return { done: true };
		}
		const [videoUrl] = status.urls;
		if (status.state === 'success' && videoUrl) {
			await this.#deliver(job, videoUrl, status);
			return { done: true };
		}
		const state = status.state === 'pending' ? 'queued' : 'rendering';
		if (state !== job.state) {
			const updated = await store.update(job.id, () => ({
				state,
				...(state === 'rendering' && !job.renderStartedAt ? { renderStartedAt: now() } : {}),
			}));
			await progress.update(updated);
		}
		return { nextPollInMs: await this.#plannedDelay(job) };
	}

	async #deliver(job: Job, videoUrl: string, status: TaskStatus): Promise<void> {
		const { store, progress, delivery, logger, now } = this.deps;
		const delivering = await store.update(job.id, () => ({ state: 'delivering' }));
		await progress.update(delivering, { final: true });
		const renderSeconds =
			status.finishTime && status.submitTime
				? status.finishTime - status.submitTime
				: (now() - (job.submittedAt ?? job.createdAt)) / 1000;
		const withTime = { ...delivering, renderSeconds };
		try {
			const result = await delivery.deliver(withTime, videoUrl);
			await this.endings.succeed(withTime, result, renderSeconds);
		} catch (error) {
			logger.error(
				{ err: error, jobId: job.id, guildId: job.guildId, taskId: job.taskId, requestId: job.requestId },
				'video could not be delivered',
			);
			await this.endings.fail(job, { key: 'job.deliveryFailed', params: {} });
		}
	}

	async #plannedDelay(job: Job): Promise<number> {
		const { estimates, settings, now } = this.deps;
		const renderTimes = await estimates.distribution(job.settings.resolution, job.settings.duration);
		const elapsedMs = now() - (job.submittedAt ?? job.createdAt);
		return nextPollDelay(elapsedMs, renderTimes, settings.minPollIntervalMs, settings.maxPollIntervalMs);
	}

	#afterError(job: Job, error: unknown): number {
		const { poller, logger, settings } = this.deps;
		const failures = (this.#consecutiveErrors.get(job.id) ?? 0) + 1;
		this.#consecutiveErrors.set(job.id, failures);
		const backoff = Math.min(settings.maxPollIntervalMs, settings.minPollIntervalMs * 2 ** failures);
		const jittered = backoff / 2 + Math.random() * (backoff / 2);
		const retryAfterMs = error instanceof ModelverseError ? error.retryAfterMs : undefined;
		if (error instanceof ModelverseError && error.kind === 'rate_limited') poller.pauseFor(retryAfterMs ?? backoff);
		logger.warn(
			{ err: error, jobId: job.id, guildId: job.guildId, taskId: job.taskId, requestId: job.requestId, failures },
			'status query failed; will ask again',
		);
		return Math.max(jittered, retryAfterMs ?? 0);
	}
}
