import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import type { InteractionRef, Job } from '../../domain/job.js';
import type { VideoInput, VideoMode, VideoSettings } from '../../domain/video.js';
import type { SupportedLocale } from '../../i18n/index.js';
import type { ModelverseClient } from '../../modelverse/client.js';
import { buildSubmitBody, type ImageTransport, type SubmitBody } from '../../modelverse/wire.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { Poller } from '../polling/poller.js';
import type { ProgressUpdater } from '../progress/progress-updater.js';
import type { JobCredits } from './job-credits.js';
import type { JobEndings } from './job-endings.js';
import type { JobForecast } from './job-forecast.js';
import type { JobStore } from './job-store.js';
import { classifySubmitFailure } from './submit-outcome.js';

export interface JobServiceDeps {
	store: JobStore;
	credits: JobCredits;
	costOf: (settings: VideoSettings) => number;
	modelverse: ModelverseClient;
	poller: Pick<Poller, 'track'>;
	progress: ProgressUpdater;
	endings: JobEndings;
	metrics: BotMetrics;
	logger: Logger;
	imageTransport: ImageTransport;
	jobDeadlineMs: number;
	submitRetryDelayMs: number;
	/** A task is never done this soon after its submit, so the first status query waits this long. */
	firstPollAfterMs: number;
	forecast: Pick<JobForecast, 'resumed'>;
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

	async submit(job: Job): Promise<void> {
		const { store, modelverse, poller, progress, endings, metrics, logger, firstPollAfterMs, now } = this.deps;
		const body = (await store.submitBody(job.id)) as SubmitBody | undefined;
		if (!body) {
			await endings.fail(job, { key: 'job.outcomeUnknown', params: {} });
			return;
		}
		try {
			const task = await metrics.timeModelverse('submit', () => modelverse.submit(body));
			const submitted = await store.update(job.id, () => ({
				state: 'queued',
				taskId: task.taskId,
				requestId: task.requestId,
				submittedAt: now(),
			}));
			await store.forgetSubmitBody(job.id);
			logger.info(
				{ jobId: job.id, guildId: job.guildId, taskId: task.taskId, requestId: task.requestId, mode: job.mode },
				'task submitted',
			);
			poller.track(job.id, now() + firstPollAfterMs);
			await progress.update(submitted);
		} catch (error) {
			await this.#handleSubmitFailure(job, error);
		}
	}

	async #handleSubmitFailure(job: Job, error: unknown): Promise<void> {
		const { store, progress, endings, logger, submitRetryDelayMs } = this.deps;
		const outcome = classifySubmitFailure(error, submitRetryDelayMs);
		const context = { err: error, jobId: job.id, guildId: job.guildId, requestId: requestIdOf(error) };
		if ('retryInMs' in outcome) {
			logger.warn({ ...context, retryInMs: outcome.retryInMs }, 'provider busy; submit queued to try again');
			const waiting = await store.update(job.id, () => ({ state: 'waiting' }));
			this.#scheduleRetry(waiting, outcome.retryInMs);
			await progress.update(waiting);
			return;
		}
		if (outcome.mayHaveBilled) logger.error(context, 'submit outcome unknown: a task may have been created and billed');
		else if (outcome.alertOperator) logger.error(context, 'provider refused the submit: operator action needed');
		else logger.info(context, 'provider refused the submit');
		await endings.fail(job, outcome.failure);
	}

	#scheduleRetry(job: Job, delayMs: number): void {
		clearTimeout(this.#retryTimers.get(job.id));
		const timer = setTimeout(() => {
			this.#retryTimers.delete(job.id);
			void this.submit(job).catch((error: unknown) =>
				this.deps.logger.error({ err: error, jobId: job.id }, 'submit retry failed'),
			);
		}, delayMs);
		this.#retryTimers.set(job.id, timer);
	}

	/**
	 * After a restart: follow every open task again, each first asked where its render is likely done (the budget and
	 * the poller's ordering share out the queries); a submit cut off mid-flight has an unknown outcome.
	 */
	async resume(): Promise<number> {
		const { store, poller, forecast, endings, logger } = this.deps;
		const open = await store.openJobs();
		for (const job of open) {
			if (!job.taskId) continue;
			const resumed = await forecast.resumed(job);
			poller.track(job.id, resumed.firstPollAt, resumed.forecast);
		}
		for (const job of open) {
			if (job.taskId) continue;
			if (job.state === 'waiting') this.#scheduleRetry(job, 0);
			else {
				logger.error({ jobId: job.id, guildId: job.guildId }, 'restart during submit: a task may have been billed');
				await endings.fail(job, { key: 'job.outcomeUnknown', params: {} });
			}
		}
		return open.length;
	}

	/**
	 * Credits held for a job that was never stored (the store failed between reserving and saving, and returning
	 * failed too) would stay held forever; on start they go back.
	 */
	async releaseOrphanedCredits(guildIds: Iterable<string>): Promise<number> {
		const { store, credits, logger } = this.deps;
		let released = 0;
		for (const guildId of guildIds) {
			for (const reservation of await credits.held(guildId)) {
				if (this.#beingAccepted.has(reservation.jobId) || (await store.get(reservation.jobId))) continue;
				await credits.release(reservation);
				released += 1;
				logger.warn(
					{ jobId: reservation.jobId, guildId, credits: reservation.cost },
					'returned credits of a job never stored',
				);
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
