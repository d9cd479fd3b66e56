import { randomBytes } from 'node:crypto';
import type { ActivityListener } from '../../domain/activity.js';
import type { Clock } from '../../domain/clock.js';
import { UserError } from '../../domain/errors.js';
import {
	type CreditReservation,
	type InteractionRef,
	isOpen,
	type Job,
	type JobState,
	keepsCredits,
} from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { VideoInput, VideoMode, VideoSettings } from '../../domain/video.js';
import type { SupportedLocale } from '../../i18n/index.js';
import type { ModelverseClient } from '../../modelverse/client.js';
import { buildSubmitBody, type ImageTransport, type SubmitBody } from '../../modelverse/wire.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { TaskLedger } from '../../storage/task-ledger.js';
import type { ConcurrencyLimit } from '../delivery/concurrency-limit.js';
import type { DeliveryQueue } from '../delivery/delivery-queue.js';
import type { OpenJobQueue } from '../ownership/open-job-queue.js';
import type { Poller } from '../polling/poller.js';
import type { ProgressScheduler } from '../progress/progress-scheduler.js';
import type { JobCredits } from './job-credits.js';
import type { JobEndings } from './job-endings.js';
import type { JobForecast } from './job-forecast.js';
import type { JobLine } from './job-line.js';
import { awaitingProvider } from './job-poll.js';
import type { JobStore } from './job-store.js';
import type { PromptScreen } from './prompt-screen.js';
import { classifySubmitFailure } from './submit-outcome.js';

export interface JobServiceDeps {
	store: JobStore;
	credits: JobCredits;
	prompts: PromptScreen;
	/** Told when a job is accepted, or refused for its credits; never awaited. */
	activity: ActivityListener;
	costOf: (settings: VideoSettings) => number;
	modelverse: ModelverseClient;
	poller: Pick<Poller, 'track'>;
	deliveries: Pick<DeliveryQueue, 'enqueue'>;
	progress: Pick<ProgressScheduler, 'want'>;
	endings: JobEndings;
	tasks: Pick<TaskLedger, 'sent' | 'add'>;
	metrics: BotMetrics;
	logger: Logger;
	imageTransport: ImageTransport;
	/**
	 * Jobs with images hold them in memory from download to submit (the raw file, the scaled copy, the Base64 body):
	 * only this many at once, so memory stays bounded whatever members send. The others wait their turn.
	 */
	imageJobSlots: ConcurrencyLimit;
	jobDeadlineMs: number;
	/** How long a job may wait in its server's line; its provider deadline counts from when it leaves. */
	lineDeadlineMs: number;
	line: Pick<JobLine, 'joined' | 'resume'>;
	submitRetryDelayMs: number;
	/** A task is never done this soon after its submit, so the first status query waits this long. */
	firstPollAfterMs: number;
	forecast: Pick<JobForecast, 'resumed'>;
	/** This process's owner id: stored on every job it creates, starts from a line, or takes over. */
	ownerId: string;
	/**
	 * With several processes (Redis): every open job is handed to the shared queue, and whichever process takes it sends
	 * and follows it. Without, this process follows every job itself.
	 */
	queue?: Pick<OpenJobQueue, 'add' | 'addAll' | 'promote'>;
	now: Clock;
}

export interface JobDraft {
	guildId: string;
	channelId: string;
	userId: string;
	/** The member's roles from the interaction: they decide the member's limit, and are not stored with the job. */
	roleIds: readonly string[];
	locale: SupportedLocale;
	prompt: string;
	settings: VideoSettings;
	mode: VideoMode;
	/**
	 * Downloads and checks the inputs. Called only once the job's credits are held, so a member who may not start a
	 * job never makes the bot fetch anything; if it throws, the credits go back. A job that must wait in line is
	 * prepared all the same, at once: a bad input is told now rather than after the wait, and what waits is its
	 * submit body in the store, not in memory.
	 */
	prepareInput: () => Promise<VideoInput>;
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
	/** Jobs whose task this process is sending now: found `submitting` again, they are in flight, not cut short. */
	readonly #sending = new Set<string>();
	/**
	 * Jobs this process accepted while its start-up recovery had not finished: commands are served from the moment
	 * the gateway is ready, and recovery must leave these alone, whatever state it finds them in.
	 */
	readonly #acceptedDuringStartUp = new Set<string>();
	#recovered = false;

	constructor(private readonly deps: JobServiceDeps) {}

	/**
	 * Every job starts here, whatever asked for it (a command, Reroll, Extend): its prompt is screened before its
	 * credits are reserved, and both before anything is fetched or sent.
	 */
	async accept(draft: JobDraft): Promise<Job> {
		const { prompts, costOf } = this.deps;
		await prompts.screen(draft);
		const id = newJobId();
		if (!this.#recovered) this.#acceptedDuringStartUp.add(id);
		const cost = costOf(draft.settings);
		const held = await this.#reserve(draft, id, cost);
		const job = await this.#holdingInputs(draft.mode, async () => {
			const prepared = await this.#prepareAndStore(id, draft, cost, held);
			this.deps.activity({ kind: 'job-accepted', job: prepared.job });
			if (prepared.job.state === 'waiting') await this.#send(prepared.job, prepared.body);
			return prepared.job;
		});
		if (job.state === 'in_line') {
			await this.#enqueue(job);
			// Outside the image slot: a job whose turn has come takes one again to send its stored body.
			await this.deps.line.joined(job);
		}
		return job;
	}

	/** Sends a job now, or hands it to the shared queue, whose taker sends it from the stored body. */
	async #send(job: Job, body: SubmitBody): Promise<void> {
		if (this.deps.queue) await this.#enqueue(job);
		else await this.#submit(job, body);
	}

	/**
	 * A job the queue could not take now is still stored and open: the queue's next sweep puts it in, so it is followed
	 * late rather than lost.
	 */
	async #enqueue(job: Job): Promise<void> {
		try {
			await this.deps.queue?.add(job);
		} catch (error) {
			this.deps.logger.error(
				{ ...jobLogContext(job), err: error },
				'the job could not be queued; the next sweep queues it',
			);
		}
	}

	/**
	 * Sends a job whose turn in the line has come, from its stored body, as a job turned away by a 429 is sent again.
	 * Its provider deadline starts now. Nothing happens unless it is still `in_line` (it may have been cancelled).
	 */
	async startFromLine(jobId: string): Promise<void> {
		const { store, logger, jobDeadlineMs, now } = this.deps;
		// The line may hand over a job whose record is still being written; `JobLine.joined` starts it once written.
		if ((await store.get(jobId))?.state !== 'in_line') return;
		// Alone, whichever process's line took the turn sends the job; with a queue, the process holding its item does.
		const { queue, ownerId } = this.deps;
		const started = await store.update(jobId, ['in_line'], () => ({
			state: 'waiting',
			deadlineAt: now() + jobDeadlineMs,
			...(queue ? {} : { owner: ownerId }),
		}));
		if (!started) return;
		logger.info(jobLogContext(started), 'job left the line');
		if (queue) await queue.promote(jobId);
		else await this.#holdingInputs(started.mode, () => this.#submit(started));
	}

	async #reserve(draft: JobDraft, jobId: string, cost: number): ReturnType<JobCredits['reserve']> {
		const { guildId, userId, roleIds, mode } = draft;
		try {
			return await this.deps.credits.reserve({ guildId, userId, roleIds, jobId, cost });
		} catch (error) {
			if (error instanceof UserError) {
				const refusal = { key: error.key, params: error.params };
				this.deps.activity({ kind: 'job-refused', guildId, userId, mode, refusal });
			}
			throw error;
		}
	}

	async #prepareAndStore(
		id: string,
		draft: JobDraft,
		cost: number,
		{ reservation, inLine }: { reservation: CreditReservation; inLine: boolean },
	): Promise<{ job: Job; body: SubmitBody }> {
		const { store, credits, imageTransport, jobDeadlineMs, lineDeadlineMs, now } = this.deps;
		try {
			const input = await draft.prepareInput();
			const createdAt = now();
			const job: Job = {
				id,
				guildId: draft.guildId,
				channelId: draft.channelId,
				userId: draft.userId,
				locale: draft.locale,
				mode: input.mode,
				prompt: draft.prompt,
				settings: draft.settings,
				cost,
				inputUrls: inputUrls(input),
				inputImages: inputImages(input),
				state: inLine ? 'in_line' : 'waiting',
				createdAt,
				updatedAt: createdAt,
				deadlineAt: createdAt + (inLine ? lineDeadlineMs : jobDeadlineMs),
				interaction: draft.interaction,
				reservation,
				owner: this.deps.ownerId,
			};
			const body = buildSubmitBody(draft.prompt, draft.settings, input, imageTransport);
			await store.create(job, body);
			return { job, body };
		} catch (error) {
			await credits.release(reservation);
			throw error;
		}
	}

	#holdingInputs<T>(mode: VideoMode, task: () => Promise<T>): Promise<T> {
		return mode === 'image' || mode === 'frames' ? this.deps.imageJobSlots.run(task) : task();
	}

	/**
	 * Sends a `waiting` job's task. It is marked `submitting` before it is sent, so a crash from there on leaves a job
	 * that is never sent again (its outcome unknown), and a crash before leaves one that is safely sent at the next start.
	 * The body is stored once, to survive a restart; the process that built it sends the copy it holds.
	 */
	async #submit(job: Job, heldBody?: SubmitBody): Promise<void> {
		this.#sending.add(job.id);
		try {
			await this.#sendTask(job, heldBody);
		} finally {
			this.#sending.delete(job.id);
		}
	}

	async #sendTask(job: Job, heldBody?: SubmitBody): Promise<void> {
		const { store, modelverse, poller, progress, endings, tasks, metrics, logger, firstPollAfterMs, now } = this.deps;
		const body = heldBody ?? (await store.submitBody(job.id));
		if (!body) {
			const failure = { key: 'job.outcomeUnknown', params: {} } as const;
			await endings.fail(job, failure, { expected: ['waiting'] });
			return;
		}
		// Only while this process still owns it: a sibling that adopted it meanwhile sends it, not both.
		const sending = await store.update(
			job.id,
			(current) => this.#owns(current, 'waiting'),
			() => ({
				state: 'submitting',
			}),
		);
		if (!sending) return;
		progress.want(sending);
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
			await this.#handleSubmitFailure(sending, error);
			return;
		}
		const context = jobLogContext({ ...job, ...task });
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
		poller.track({ jobId: job.id, taskId: task.taskId }, now() + firstPollAfterMs);
		progress.want(submitted);
	}

	async #handleSubmitFailure(job: Job, error: unknown): Promise<void> {
		const { store, progress, endings, logger, submitRetryDelayMs } = this.deps;
		const outcome = classifySubmitFailure(error, submitRetryDelayMs);
		const context = { err: error, ...jobLogContext(job), requestId: requestIdOf(error) };
		if ('retryInMs' in outcome) {
			const waiting = await store.update(job.id, ['submitting'], () => ({ state: 'waiting' }));
			if (!waiting) return;
			// Jitter, so jobs turned away together do not all come back in the same instant.
			const retryInMs = Math.round(outcome.retryInMs * (1 + Math.random() / 2));
			logger.warn({ ...context, retryInMs }, 'provider busy; submit queued to try again');
			this.#scheduleRetry(job.id, retryInMs);
			progress.want(waiting);
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
	 * A job not yet sent, or turned away by the provider (429: nothing was created), is sent again until its deadline;
	 * past it, it ends with its credits returned, as no task exists. Whoever moved the job meanwhile wins.
	 */
	async #retry(jobId: string): Promise<void> {
		const { store, endings, jobDeadlineMs, now } = this.deps;
		const job = await store.get(jobId);
		if (!job || !this.#owns(job, 'waiting')) return;
		if (now() > job.deadlineAt) {
			const minutes = Math.round(jobDeadlineMs / 60_000);
			const failure = { key: 'job.busyTimedOut', params: { minutes } } as const;
			await endings.fail(job, failure, { expected: ['waiting'], state: 'timed_out' });
			return;
		}
		// The body comes back from the store, the one copy kept of it, and holds memory until sent like a new job's.
		await this.#holdingInputs(job.mode, () => this.#submit(job));
	}

	/**
	 * After a restart. The credits still held in each guild of this process name every job not yet settled, so they
	 * also find a job a crash left out of the open index (it is indexed and resumed), a job whose credits were never
	 * kept or returned, and credits of a job never stored. Jobs this process accepted meanwhile (and so any task it is
	 * sending now) are left alone. Alone, this process takes every open job as its own and follows it, as `#follow`
	 * says; with a queue, each open job is put back in the queue unless it is there already (a sibling follows it), and
	 * the lines move again.
	 */
	async resume(guildIds: Iterable<string>): Promise<ResumeSummary> {
		const { store, queue, line } = this.deps;
		const guilds = [...guildIds];
		try {
			const indexed = (await store.openJobs()).filter((job) => !this.#acceptedDuringStartUp.has(job.id));
			const recovered = await this.#recoverFromCredits(guilds, new Set(indexed.map((job) => job.id)));
			const open = [...indexed, ...recovered.unindexed];
			if (queue) {
				await queue
					.addAll(open)
					.catch((error: unknown) =>
						this.deps.logger.error(
							{ err: error },
							'open jobs could not be queued at start; the next sweep queues them',
						),
					);
				await line.resume(
					open.filter((job) => job.state === 'in_line'),
					guilds,
				);
				return { resumed: open.length, strayCredits: recovered.strayCredits };
			}
			const claimed: Job[] = [];
			for (const job of open) {
				const mine = job.owner === this.deps.ownerId ? job : await this.#claim(job);
				if (mine) claimed.push(mine);
			}
			await this.#follow(claimed, guilds, () => Math.floor(Math.random() * this.deps.submitRetryDelayMs));
			return { resumed: claimed.length, strayCredits: recovered.strayCredits };
		} finally {
			this.#recovered = true;
			this.#acceptedDuringStartUp.clear();
		}
	}

	/**
	 * A job the shared queue gave this process: claimed and followed (a job not yet sent is sent at once). Returns it
	 * as claimed, as found when it waits in line (the queue holds it until its turn or its deadline), or undefined once
	 * it has ended.
	 */
	async takeOver(jobId: string): Promise<Job | undefined> {
		const found = await this.deps.store.get(jobId);
		if (!found || !isOpen(found)) return undefined;
		if (found.state === 'in_line') return found;
		const claimed = found.owner === this.deps.ownerId ? found : await this.#claim(found);
		// Moved on while it was claimed (ended, or out of the line): read again.
		if (!claimed) return this.takeOver(jobId);
		await this.#follow([claimed], [], () => 0);
		return claimed;
	}

	/**
	 * The one change that makes a job this process's: it applies only while the job is open and has the owner and
	 * state it was found with, under the store's record lock (pg_advisory_xact_lock on PostgreSQL), so of two
	 * processes that found it, exactly one takes it.
	 */
	async #claim(job: Job): Promise<Job | undefined> {
		const { store, ownerId, logger } = this.deps;
		const claimed = await store.update(
			job.id,
			(current) => isOpen(current) && current.owner === job.owner && current.state === job.state,
			() => ({ owner: ownerId }),
		);
		if (claimed) logger.warn({ ...jobLogContext(claimed), from: job.owner ?? 'none' }, 'took over a job');
		return claimed;
	}

	/**
	 * Follows jobs this process just took: every open task again (each first asked where its render is likely done),
	 * every delivery (from the stored URL, with no status query), every submit not yet sent (after `sendInMs`); a job
	 * that was sent but not answered has an unknown outcome, and a job waiting in line goes back to its server's line.
	 */
	async #follow(open: readonly Job[], guilds: readonly string[], sendInMs: () => number): Promise<void> {
		const { poller, forecast, deliveries, endings, line, logger } = this.deps;
		for (const job of open) {
			if (!job.taskId || !awaitingProvider(job)) continue;
			const resumed = await forecast.resumed(job);
			poller.track({ jobId: job.id, taskId: job.taskId }, resumed.firstPollAt, resumed.forecast);
		}
		for (const job of open) {
			if (job.state === 'delivering' && job.result) deliveries.enqueue(job, { resumed: true });
			else if (job.state === 'waiting') this.#scheduleRetry(job.id, sendInMs());
			else if (job.state === 'submitting' && !this.#sending.has(job.id)) {
				logger.error(jobLogContext(job), 'submit cut short by a stop: a task may have been billed');
				const failure = { key: 'job.outcomeUnknown', params: {} } as const;
				await endings.fail(job, failure, { expected: ['submitting'], mayHaveBilled: true });
			}
		}
		await line.resume(
			open.filter((job) => job.state === 'in_line'),
			guilds,
		);
	}

	/** Whether this process still follows the job, in the state it expects. */
	#owns(job: Job, state: JobState): boolean {
		return job.owner === this.deps.ownerId && job.state === state;
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
				if (this.#acceptedDuringStartUp.has(reservation.jobId)) continue;
				const recovery = await this.#recoverHeld(reservation, indexed.has(reservation.jobId));
				if (recovery === 'stray') strayCredits += 1;
				else if (recovery) unindexed.push(recovery);
			}
		}
		return { unindexed, strayCredits };
	}

	/**
	 * A made video's credits are kept even while it is being delivered (the provider billed it). Returns a job to
	 * resume that the open index had lost, `stray` once credits were returned or kept for a job that will not run
	 * again, or undefined when the job is followed already.
	 */
	async #recoverHeld(reservation: CreditReservation, indexed: boolean): Promise<Job | 'stray' | undefined> {
		const { store, credits, progress, metrics, logger } = this.deps;
		const context = { jobId: reservation.jobId, guildId: reservation.guildId, credits: reservation.cost };
		const job = await store.get(reservation.jobId);
		if (!job) {
			await credits.release(reservation);
			await store.forgetSubmitBody(reservation.jobId);
			logger.warn(context, 'returned credits of a job never stored');
			return 'stray';
		}
		if (keepsCredits(job.state) && (await credits.settle(reservation))) {
			logger.warn({ ...context, state: job.state }, 'kept the credits of a made video a stop had left held');
		}
		if (isOpen(job)) {
			if (indexed) return undefined;
			await store.reindex(job);
			logger.warn({ ...context, state: job.state }, 'resumed a job a crash left out of the open jobs');
			return job;
		}
		if (!keepsCredits(job.state)) {
			// A submit whose answer was lost may still be billed: the member gets the credits, the operator's caps keep them.
			const mayHaveBilled = job.failure?.key === 'job.outcomeUnknown';
			const returned = mayHaveBilled ? await credits.releaseUnknown(reservation) : await credits.release(reservation);
			if (returned && mayHaveBilled) metrics.unknownOutcome(reservation.cost);
			if (returned)
				logger.warn({ ...context, state: job.state }, 'returned the credits of a job that ended just before a stop');
		}
		// The member's last word on the job comes after its credits, so it was never shown either.
		progress.want(job);
		return 'stray';
	}

	stop(): void {
		for (const timer of this.#retryTimers.values()) clearTimeout(timer);
		this.#retryTimers.clear();
	}
}

function requestIdOf(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'requestId' in error ? String(error.requestId) : undefined;
}
