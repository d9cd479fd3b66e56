import type { Job } from '../../domain/job.js';
import { ModelverseError } from '../modelverse/errors.js';
import type { TaskStatus } from '../modelverse/task-status.js';
import type { PollOutcome } from '../poller.js';
import type { RenderTimeDistribution } from '../render-estimates.js';
import type { JobDeps } from './job-deps.js';
import type { JobEndings } from './job-endings.js';

/** Scanning ahead in quarters of the densest spacing finds where a likely finish begins closely enough. */
const SCAN_STEPS_PER_MIN_INTERVAL = 4;
/** Dense polling while at least this share of the renders still running is expected to finish each second. */
const DENSE_HAZARD_PER_SECOND = 0.004;
/** Fewer past renders than this say too little about where the rest will finish (and, in a burst, only the fastest are in). */
const SAMPLES_TO_AIM = 10;
/** With nothing to aim at, poll this many times the shortest interval apart: as often as a public client would. */
const UNAIMED_SPACING_FACTOR = 2;
/** Well past every render seen, each poll waits a quarter of the overrun more, so a stuck task costs little. */
const OVERRUN_BACKOFF = 4;

/**
 * When to look again, from the renders seen before. Every `minMs` while a finish is likely (a render still running
 * has at least `DENSE_HAZARD_PER_SECOND` chance per second of finishing), straight to where that starts when it is
 * further ahead (at most `maxMs`). With too little history to aim (a cold start, or a render outlasting nearly all
 * seen) it waits for the earliest plausible finish, then polls at a steady pace that slows as the overrun grows.
 */
export function nextPollDelay(
	elapsedMs: number,
	renderTimes: RenderTimeDistribution,
	minMs: number,
	maxMs: number,
): number {
	const clamp = (ms: number) => Math.round(Math.min(maxMs, Math.max(minMs, ms)));
	const enoughHistory = renderTimes.learned && renderTimes.size >= SAMPLES_TO_AIM;
	if (!enoughHistory || renderTimes.survival(elapsedMs) * renderTimes.size < 1) {
		// Outlasting a few renders, or the last of a burst's, is not yet a stuck task: it may just be a slow one.
		const graceMs = (renderTimes.longestMs - renderTimes.earliestMs) / 2;
		const overrunMs = enoughHistory ? Math.max(0, elapsedMs - renderTimes.longestMs - graceMs) : 0;
		const untilEarliestMs = renderTimes.earliestMs - elapsedMs;
		return clamp(Math.max(minMs * UNAIMED_SPACING_FACTOR + overrunMs / OVERRUN_BACKOFF, untilEarliestMs));
	}
	const likely = (DENSE_HAZARD_PER_SECOND * minMs) / 1000;
	const step = minMs / SCAN_STEPS_PER_MIN_INTERVAL;
	for (let at = elapsedMs; at < elapsedMs + maxMs; at += step) {
		const running = renderTimes.survival(at);
		const pastHistory = running * renderTimes.size < 1;
		if (pastHistory || (running - renderTimes.survival(at + minMs)) / running >= likely) return clamp(at - elapsedMs);
	}
	return clamp(maxMs);
}

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
