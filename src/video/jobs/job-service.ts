import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { type InteractionRef, isOpen, type Job, keepsCredits } from '../../domain/job.js';
import type { VideoInput, VideoMode, VideoSettings } from '../../domain/video.js';
import type { SupportedLocale } from '../../i18n/index.js';
import type { ModelverseClient } from '../../modelverse/client.js';
import { buildSubmitBody, type ImageTransport, type SubmitBody } from '../../modelverse/wire.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { TaskLedger } from '../../storage/task-ledger.js';
import type { DeliveryQueue } from '../delivery/delivery-queue.js';
import type { Poller } from '../polling/poller.js';
import type { ProgressUpdater } from '../progress/progress-updater.js';
import type { JobCredits } from './job-credits.js';
import type { JobEndings } from './job-endings.js';
import { awaitingProvider } from './job-poll.js';
import type { JobStore } from './job-store.js';
import { classifySubmitFailure } from './submit-outcome.js';

export interface JobServiceDeps {
	store: JobStore;
	credits: JobCredits;
	costOf: (settings: VideoSettings) => number;
	modelverse: ModelverseClient;
	poller: Pick<Poller, 'track'>;
	deliveries: Pick<DeliveryQueue, 'enqueue'>;
	progress: ProgressUpdater;
	endings: JobEndings;
	tasks: Pick<TaskLedger, 'sent' | 'add'>;
	metrics: BotMetrics;
	logger: Logger;
	imageTransport: ImageTransport;
	jobDeadlineMs: number;
	submitRetryDelayMs: number;
	/** A task is never done this soon after its submit, so the first status query waits this long. */
	firstPollAfterMs: number;
	now: Clock;
}

export interface JobDraft {
	guildId: string;
	channelId: string;
	userId: string;
	locale: SupportedLocale;
	prompt: string;
	settings: VideoSettings;
	input: VideoInput;
	interaction: InteractionRef;
}

/** Jobs resumed at start have their first status query or submit spread over this long. */
const RESUME_SPREAD_MS = 5_000;

/** Short enough to double as Discord's 25-character message nonce, so a result is posted at most once. */
const newJobId = () => randomBytes(12).toString('base64url');

function inputUrls(input: VideoInput): string[] {
	switch (input.mode) {
		case 'text':
			return [];
		case 'image':
			return [input.image.sourceUrl];
		case 'frames':
			return [input.first.sourceUrl, input.last.sourceUrl];
		case 'extend':
			return [input.videoUrl];
	}
}

function inputImages(input: VideoInput): Job['inputImages'] {
	const images = input.mode === 'image' ? [input.image] : input.mode === 'frames' ? [input.first, input.last] : [];
	return images.map((image) => ({ url: image.sourceUrl, bytes: image.bytes, contentType: image.contentType }));
}

/** From an accepted command to a task the poller follows. */
export class JobService {
	readonly #retryTimers = new Map<string, NodeJS.Timeout>();
	/** Jobs between reserving credits and being stored: not orphans, even though no record exists yet. */
	readonly #beingAccepted = new Set<string>();
	/** Jobs whose task this process is sending now: a resume must not take them for sends cut off by a crash. */
	readonly #sending = new Set<string>();

	constructor(private readonly deps: JobServiceDeps) {}

	async accept(draft: JobDraft): Promise<Job> {
		const id = newJobId();
		this.#beingAccepted.add(id);
		try {
			return await this.#accept(id, draft);
		} finally {
			this.#beingAccepted.delete(id);
		}
	}

	async #accept(id: string, draft: JobDraft): Promise<Job> {
		const { store, credits, costOf, progress, imageTransport, jobDeadlineMs, now } = this.deps;
		const cost = costOf(draft.settings);
		const reservation = await credits.reserve({ guildId: draft.guildId, userId: draft.userId, jobId: id, cost });
		const createdAt = now();
		const mode: VideoMode = draft.input.mode;
		const job: Job = {
			id,
			guildId: draft.guildId,
			channelId: draft.channelId,
			userId: draft.userId,
			locale: draft.locale,
			mode,
			prompt: draft.prompt,
			settings: draft.settings,
			cost,
			inputUrls: inputUrls(draft.input),
			inputImages: inputImages(draft.input),
			state: 'submitting',
			createdAt,
			updatedAt: createdAt,
			deadlineAt: createdAt + jobDeadlineMs,
			interaction: draft.interaction,
			reservation,
		};
		const body = buildSubmitBody(draft.prompt, draft.settings, draft.input, imageTransport);
		try {
			await store.create(job, body);
		} catch (error) {
			await credits.release(reservation);
			throw error;
		}
		await progress.update(job);
		await this.submit(job);
		return job;
	}

	/** Sends a `submitting` job's task. The state is stored first, so a crash mid-send is never read as "not sent". */
	async submit(job: Job): Promise<void> {
		this.#sending.add(job.id);
		try {
			await this.#send(job);
		} finally {
			this.#sending.delete(job.id);
		}
	}

	async #send(job: Job): Promise<void> {
		const { store, modelverse, poller, progress, endings, tasks, metrics, logger, firstPollAfterMs, now } = this.deps;
		const body = (await store.submitBody(job.id)) as SubmitBody | undefined;
		if (!body) {
			const failure = { key: 'job.outcomeUnknown', params: {} } as const;
			await endings.fail(job, failure, { expected: ['submitting'], mayHaveBilled: true });
			return;
		}
		let task: { taskId: string; requestId: string };
		try {
			await tasks.sent({
				jobId: job.id,
				guildId: job.guildId,
				userId: job.userId,
				mode: job.mode,
				settings: job.settings,
				credits: job.cost,
				sentAt: now(),
			});
			task = await metrics.timeModelverse('submit', () => modelverse.submit(body));
		} catch (error) {
			await this.#handleSubmitFailure(job, error);
			return;
		}
		const context = { jobId: job.id, guildId: job.guildId, taskId: task.taskId, requestId: task.requestId };
		const submitted = await store.update(job.id, ['submitting'], () => ({
			state: 'queued',
			taskId: task.taskId,
			requestId: task.requestId,
			submittedAt: now(),
		}));
		await tasks.add(job.id, { taskId: task.taskId, requestId: task.requestId, submittedAt: submitted?.submittedAt });
		if (!submitted) {
			logger.error(context, 'a task was created for a job that had already ended: it may be billed');
			return;
		}
		await store.forgetSubmitBody(job.id);
		logger.info({ ...context, mode: job.mode }, 'task submitted');
		poller.track(job.id, now() + firstPollAfterMs);
		await progress.update(submitted);
	}

	async #handleSubmitFailure(job: Job, error: unknown): Promise<void> {
		const { store, progress, endings, logger, submitRetryDelayMs } = this.deps;
		const outcome = classifySubmitFailure(error, submitRetryDelayMs);
		const context = { err: error, jobId: job.id, guildId: job.guildId, requestId: requestIdOf(error) };
		if ('retryInMs' in outcome) {
			const waiting = await store.update(job.id, ['submitting'], () => ({ state: 'waiting' }));
			if (!waiting) return;
			// Jitter, so jobs turned away together do not all come back in the same instant.
			const retryInMs = Math.round(outcome.retryInMs * (1 + Math.random() / 2));
			logger.warn({ ...context, retryInMs }, 'provider busy; submit queued to try again');
			this.#scheduleRetry(job.id, retryInMs);
			await progress.update(waiting);
			return;
		}
		if (context.requestId !== undefined) await this.deps.tasks.add(job.id, { requestId: context.requestId });
		if (outcome.mayHaveBilled) {
			logger.error(context, 'submit outcome unknown: a task may have been created and billed');
			await endings.fail(job, outcome.failure, { expected: ['submitting'], mayHaveBilled: true });
			return;
		}
		if (outcome.alertOperator) logger.error(context, 'provider refused the submit: operator action needed');
		else logger.info(context, 'provider refused the submit');
		await endings.fail(job, outcome.failure, { expected: ['submitting'] });
	}

	#scheduleRetry(jobId: string, delayMs: number): void {
		clearTimeout(this.#retryTimers.get(jobId));
		const timer = setTimeout(() => {
			this.#retryTimers.delete(jobId);
			void this.#retry(jobId).catch((error: unknown) =>
				this.deps.logger.error({ err: error, jobId }, 'submit retry failed'),
			);
		}, delayMs);
		this.#retryTimers.set(jobId, timer);
	}

	/**
	 * A job the provider turned away (429: nothing was created) is sent again until its deadline; past it, it ends with
	 * its credits returned, as no task exists. Whoever moved the job meanwhile wins: this path then does nothing.
	 */
	async #retry(jobId: string): Promise<void> {
		const { store, endings, jobDeadlineMs, now } = this.deps;
		const job = await store.get(jobId);
		if (job?.state !== 'waiting') return;
		if (now() > job.deadlineAt) {
			const minutes = Math.round(jobDeadlineMs / 60_000);
			const failure = { key: 'job.busyTimedOut', params: { minutes } } as const;
			await endings.fail(job, failure, { expected: ['waiting'], state: 'timed_out' });
			return;
		}
		const submitting = await store.update(jobId, ['waiting'], () => ({ state: 'submitting' }));
		if (submitting) await this.submit(submitting);
	}

	/**
	 * After a restart: follow every open task again and carry on every delivery; a job that was sent but not answered
	 * has an unknown outcome. A video the provider made is delivered from its stored URL, with no status query.
	 */
	async resume(): Promise<number> {
		const { store, poller, deliveries, endings, logger, submitRetryDelayMs, now } = this.deps;
		const open = await store.openJobs();
		const spread = Math.max(1, open.length);
		open.forEach((job, index) => {
			if (job.taskId && awaitingProvider(job))
				poller.track(job.id, now() + Math.floor((index / spread) * RESUME_SPREAD_MS));
		});
		for (const job of open) {
			if (this.#beingAccepted.has(job.id) || this.#sending.has(job.id)) continue;
			if (job.state === 'delivering' && job.result) deliveries.enqueue(job.id);
			else if (job.state === 'waiting') this.#scheduleRetry(job.id, Math.floor(Math.random() * submitRetryDelayMs));
			else if (job.state === 'submitting') {
				logger.error({ jobId: job.id, guildId: job.guildId }, 'restart during submit: a task may have been billed');
				const failure = { key: 'job.outcomeUnknown', params: {} } as const;
				await endings.fail(job, failure, { expected: ['submitting'], mayHaveBilled: true });
			}
		}
		return open.length;
	}

	/**
	 * Credits still held at start belong to a job that is running, or to one the bot stopped at a bad moment: never
	 * stored (the store failed between reserving and saving, and returning failed too), or ended (or its video made)
	 * just before its credits were settled. Those are returned or kept now, as the job's stored state says.
	 */
	async releaseOrphanedCredits(guildIds: Iterable<string>): Promise<number> {
		const { store, credits, progress, logger } = this.deps;
		let released = 0;
		for (const guildId of guildIds) {
			for (const reservation of await credits.held(guildId)) {
				if (this.#beingAccepted.has(reservation.jobId)) continue;
				const job = await store.get(reservation.jobId);
				if (job && keepsCredits(job.state)) await credits.settle(reservation);
				if (job && (isOpen(job) || keepsCredits(job.state))) continue;
				if (!(await credits.release(reservation))) continue;
				released += 1;
				const reason = job
					? 'returned credits of a job that ended without a video'
					: 'returned credits of a job never stored';
				logger.warn({ jobId: reservation.jobId, guildId, credits: reservation.cost }, reason);
				// The ending was cut off before it told the member, too.
				if (job) await progress.update(job, { final: true });
			}
		}
		return released;
	}

	stop(): void {
		for (const timer of this.#retryTimers.values()) clearTimeout(timer);
		this.#retryTimers.clear();
	}
}

function requestIdOf(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'requestId' in error ? String(error.requestId) : undefined;
}
