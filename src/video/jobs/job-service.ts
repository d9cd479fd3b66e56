import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { type CreditReservation, type InteractionRef, isOpen, type Job } from '../../domain/job.js';
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

export interface ResumeSummary {
	/** Open jobs followed again. */
	resumed: number;
	/** Jobs whose credits were still held with no open job standing for them, now returned or kept. */
	strayCredits: number;
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
	/**
	 * Jobs this process accepted while its start-up recovery had not finished: commands are served from the moment
	 * the gateway is ready, and recovery must leave these alone, whatever state it finds them in.
	 */
	readonly #acceptedDuringStartUp = new Set<string>();
	#recovered = false;

	constructor(private readonly deps: JobServiceDeps) {}

	async accept(draft: JobDraft): Promise<Job> {
		const { store, credits, costOf, imageTransport, jobDeadlineMs, now } = this.deps;
		const id = newJobId();
		if (!this.#recovered) this.#acceptedDuringStartUp.add(id);
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
			state: 'waiting',
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
		// Marked before it is sent: a crash from here on leaves a job that is never sent again.
		const sending = await store.update(job.id, () => ({ state: 'submitting' }));
		await progress.update(sending);
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
	 * After a restart: follows every open task again and finishes what a crash cut short. The credits still held in
	 * each guild name every job that was not ended, so they also find a job a crash left out of the open index (it is
	 * indexed and resumed), an ended job whose credits were never settled, and credits of a job never stored.
	 */
	async resume(guildIds: Iterable<string>): Promise<ResumeSummary> {
		const { store, poller, endings, logger, now } = this.deps;
		try {
			const indexed = (await store.openJobs()).filter((job) => !this.#acceptedDuringStartUp.has(job.id));
			const recovered = await this.#recoverFromCredits(guildIds, new Set(indexed.map((job) => job.id)));
			const open = [...indexed, ...recovered.unindexed];
			const spread = Math.max(1, open.length);
			open.forEach((job, index) => {
				if (job.taskId) poller.track(job.id, now() + Math.floor((index / spread) * 5_000));
			});
			for (const job of open) {
				if (job.taskId) continue;
				if (job.state === 'waiting') this.#scheduleRetry(job, 0);
				else {
					logger.error({ jobId: job.id, guildId: job.guildId }, 'restart during submit: a task may have been billed');
					await endings.fail(job, { key: 'job.outcomeUnknown', params: {} });
				}
			}
			return { resumed: open.length, strayCredits: recovered.strayCredits };
		} finally {
			this.#recovered = true;
			this.#acceptedDuringStartUp.clear();
		}
	}

	async #recoverFromCredits(
		guildIds: Iterable<string>,
		indexed: ReadonlySet<string>,
	): Promise<{ unindexed: Job[]; strayCredits: number }> {
		const { credits, logger } = this.deps;
		const unindexed: Job[] = [];
		let strayCredits = 0;
		for (const guildId of guildIds) {
			let held: CreditReservation[];
			try {
				held = await credits.held(guildId);
			} catch (error) {
				// The guild's quota records cannot be read, so nothing can be returned there; its spending stays refused.
				logger.error({ err: error, guildId }, 'credits held in this guild could not be checked at start-up');
				continue;
			}
			for (const reservation of held) {
				if (indexed.has(reservation.jobId) || this.#acceptedDuringStartUp.has(reservation.jobId)) continue;
				const job = await this.#recoverHeld(reservation);
				if (job) unindexed.push(job);
				else strayCredits += 1;
			}
		}
		return { unindexed, strayCredits };
	}

	/** Returns the job to resume, or undefined once the credits were returned or kept. */
	async #recoverHeld(reservation: CreditReservation): Promise<Job | undefined> {
		const { store, credits, logger } = this.deps;
		const context = { jobId: reservation.jobId, guildId: reservation.guildId, credits: reservation.cost };
		const job = await store.get(reservation.jobId);
		if (!job) {
			await credits.release(reservation);
			await store.forgetSubmitBody(reservation.jobId);
			logger.warn(context, 'returned credits of a job never stored');
			return undefined;
		}
		if (isOpen(job)) {
			await store.reindex(job);
			logger.warn({ ...context, state: job.state }, 'resumed a job a crash left out of the open jobs');
			return job;
		}
		if (job.state === 'succeeded') await credits.settle(reservation);
		else await credits.release(reservation);
		logger.warn({ ...context, state: job.state }, 'settled the credits of a job that ended just before a crash');
		// The member's last word on the job comes after its credits, so it was never shown either.
		await this.deps.progress.update(job, { final: true });
		return undefined;
	}

	stop(): void {
		for (const timer of this.#retryTimers.values()) clearTimeout(timer);
		this.#retryTimers.clear();
	}
}

function requestIdOf(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'requestId' in error ? String(error.requestId) : undefined;
}
