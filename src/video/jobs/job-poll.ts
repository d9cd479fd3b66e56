import type { Clock } from '../../domain/clock.js';
import type { Job } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { ModelverseClient } from '../../modelverse/client.js';
import { ModelverseError } from '../../modelverse/errors.js';
import type { TaskStatus } from '../../modelverse/wire.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { DeliveryQueue } from '../delivery/delivery-queue.js';
import { nextPollDelay, type PollIntervals } from '../polling/poll-schedule.js';
import type { PolledTask, PollOutcome } from '../polling/poller.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import type { ProgressScheduler } from '../progress/progress-scheduler.js';
import type { JobEndings } from './job-endings.js';
import type { JobStore } from './job-store.js';

export interface JobPollDeps {
	store: JobStore;
	modelverse: ModelverseClient;
	progress: Pick<ProgressScheduler, 'want'>;
	deliveries: Pick<DeliveryQueue, 'enqueue'>;
	endings: JobEndings;
	estimates: RenderEstimates;
	metrics: BotMetrics;
	logger: Logger;
	intervals: PollIntervals;
	jobDeadlineMs: number;
	/** This process's owner id: a job another process adopted is no longer polled here. */
	ownerId: string;
	now: Clock;
}

/**
 * The jobs whose task the provider is still working on. A `delivering` job without a stored result was left by an
 * earlier version mid-delivery: asking the provider again is how it finds its video.
 */
export const awaitingProvider = (job: Job): boolean =>
	job.state === 'queued' || job.state === 'rendering' || (job.state === 'delivering' && !job.result);

/** One status query for one job, and what it means for the job. */
export class JobPoll {
	readonly #consecutiveErrors = new Map<string, number>();
	/** What this process may change from a status answer: a job still awaiting the provider, and still its own. */
	readonly #stillOurs = (job: Job): boolean => awaitingProvider(job) && job.owner === this.deps.ownerId;

	constructor(private readonly deps: JobPollDeps) {}

	readonly poll = async (task: PolledTask): Promise<PollOutcome> => {
		const outcome = await this.#poll(task);
		// The job's polling is over, and its count of failed queries with it.
		if ('done' in outcome) this.#consecutiveErrors.delete(task.jobId);
		return outcome;
	};

	/**
	 * The query leaves the moment the poller starts it, the job read beside it: a read first would hold some queries
	 * back longer than others, and queries started evenly apart would reach the provider bunched, past its budget.
	 */
	readonly #poll = async ({ jobId, taskId }: PolledTask): Promise<PollOutcome> => {
		const answer = this.#ask(taskId);
		const job = await this.deps.store.get(jobId);
		const asked = await answer;
		if (job?.taskId !== taskId || !this.#stillOurs(job)) return { done: true };
		// A question the provider did not answer says nothing about the task, so it can never time a job out.
		if ('error' in asked) return this.#afterError(job, asked.error);
		this.#consecutiveErrors.delete(jobId);
		return this.#apply(job, asked.status);
	};

	async #ask(taskId: string): Promise<{ status: TaskStatus } | { error: unknown }> {
		const { modelverse, metrics } = this.deps;
		try {
			return { status: await metrics.timeModelverse('status', () => modelverse.status(taskId)) };
		} catch (error) {
			return { error };
		}
	}

	async #apply(job: Job, status: TaskStatus): Promise<PollOutcome> {
		const { store, progress, deliveries, endings, now } = this.deps;
		if (status.state === 'failure') {
			const reason = status.errorMessage ?? status.rawStatus;
			await endings.fail(job, { key: 'job.failed', params: { reason } }, { expected: this.#stillOurs });
			return { done: true };
		}
		const [videoUrl] = status.urls;
		if (status.state === 'success' && videoUrl) {
			const ready = await endings.videoReady(job, this.#stillOurs, {
				videoUrl,
				renderSeconds: this.#renderSeconds(job, status),
				...(status.finishTime ? { finishedAt: status.finishTime * 1000 } : {}),
			});
			if (ready) deliveries.enqueue(ready);
			return { done: true };
		}
		// Only a fresh answer that the task is still not done ends a job as timed out: after the bot was stopped past
		// the deadline, the provider may well have finished (and billed) the video meanwhile.
		if (now() > job.deadlineAt) {
			const minutes = Math.round(this.deps.jobDeadlineMs / 60_000);
			await endings.fail(
				job,
				{ key: 'job.timedOut', params: { minutes } },
				{ expected: this.#stillOurs, state: 'timed_out' },
			);
			return { done: true };
		}
		const state = status.state === 'pending' ? 'queued' : 'rendering';
		if (state !== job.state) {
			const updated = await store.update(job.id, this.#stillOurs, () => ({
				state,
				...(state === 'rendering' && !job.renderStartedAt ? { renderStartedAt: now() } : {}),
			}));
			if (!updated) return { done: true };
			progress.want(updated);
		}
		return { nextPollInMs: await this.#plannedDelay(job) };
	}

	#renderSeconds(job: Job, status: TaskStatus): number {
		if (status.finishTime && status.submitTime) return status.finishTime - status.submitTime;
		return (this.deps.now() - (job.submittedAt ?? job.createdAt)) / 1000;
	}

	async #plannedDelay(job: Job): Promise<number> {
		const { estimates, intervals, now } = this.deps;
		const renderTimes = await estimates.distribution(job.settings.resolution, job.settings.duration);
		const elapsedMs = now() - (job.submittedAt ?? job.createdAt);
		return nextPollDelay(elapsedMs, renderTimes, intervals.minMs, intervals.maxMs);
	}

	#afterError(job: Job, error: unknown): PollOutcome {
		const { logger, intervals } = this.deps;
		const failures = (this.#consecutiveErrors.get(job.id) ?? 0) + 1;
		this.#consecutiveErrors.set(job.id, failures);
		const backoff = Math.min(intervals.maxMs, intervals.minMs * 2 ** failures);
		const jittered = backoff / 2 + Math.random() * (backoff / 2);
		const retryAfterMs = error instanceof ModelverseError ? error.retryAfterMs : undefined;
		logger.warn({ err: error, ...jobLogContext(job), failures }, 'status query failed; will ask again');
		const nextPollInMs = Math.max(jittered, retryAfterMs ?? 0);
		const rateLimited = error instanceof ModelverseError && error.kind === 'rate_limited';
		return rateLimited ? { nextPollInMs, pauseAllForMs: retryAfterMs ?? backoff } : { nextPollInMs };
	}
}
