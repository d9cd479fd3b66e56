import type { Clock } from '../../domain/clock.js';
import type { Job } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { Logger } from '../../ops/logger.js';
import type { JobEndings } from '../jobs/job-endings.js';
import type { JobStore } from '../jobs/job-store.js';
import type { ProgressScheduler } from '../progress/progress-scheduler.js';
import type { ChannelPosts } from './channel-posts.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import type { Delivery } from './delivery.js';

/** Each try holds a whole video in memory (discord.js uploads from a buffer): a few at a time bound the RSS. */
const DELIVERIES_IN_FLIGHT = 4;

interface DeliveryRetry {
	minMs: number;
	maxMs: number;
}

export interface DeliveryQueueDeps {
	store: Pick<JobStore, 'get'>;
	delivery: Pick<Delivery, 'deliver' | 'forget'>;
	endings: Pick<JobEndings, 'delivered' | 'expired'>;
	progress: Pick<ProgressScheduler, 'want'>;
	posts: Pick<ChannelPosts, 'begin' | 'end'>;
	logger: Logger;
	retry: DeliveryRetry;
	/** This process's owner id: only the job's owner posts its video. */
	ownerId: string;
	now: Clock;
}

/**
 * Gets every finished video to its member for as long as the provider's URL lives: a failed try (Discord down, the
 * download cut) is tried again with backoff and jitter, a few at a time, apart from the poller so an outage never
 * slows status queries. A job is only ever tracked once; the stored job says what is left to do. A post never waits
 * for a progress edit: those are asked for and go out beside it, as the channel's limit allows.
 */
export class DeliveryQueue {
	/** Job id → the channel its video goes to. */
	readonly #tracked = new Map<string, string>();
	readonly #timers = new Map<string, NodeJS.Timeout>();
	readonly #failures = new Map<string, number>();
	/** Jobs an earlier try may have posted: one resumed from before a restart, or one whose try failed. */
	readonly #mayHavePosted = new Set<string>();
	readonly #running = new Set<Promise<void>>();
	readonly #slots = new ConcurrencyLimit(DELIVERIES_IN_FLIGHT);
	#stopped = false;

	constructor(private readonly deps: DeliveryQueueDeps) {}

	/** `resumed`: the job was left delivering by an earlier process, which may have posted it as it stopped. */
	enqueue(job: Pick<Job, 'id' | 'channelId'>, options: { resumed: boolean } = { resumed: false }): void {
		if (this.#stopped || this.#tracked.has(job.id)) return;
		this.#tracked.set(job.id, job.channelId);
		if (options.resumed) this.#mayHavePosted.add(job.id);
		this.#schedule(job.id, 0);
	}

	/** Takes no new tries and waits for those under way; whatever is left resumes at the next start. */
	async stop(): Promise<void> {
		this.#stopped = true;
		for (const timer of this.#timers.values()) clearTimeout(timer);
		this.#timers.clear();
		await Promise.allSettled([...this.#running]);
	}

	#schedule(jobId: string, delayMs: number): void {
		const timer = setTimeout(() => {
			this.#timers.delete(jobId);
			const channelId = this.#tracked.get(jobId) ?? '';
			// Due from now until this try ends, waiting for a slot included: the channel's progress edits wait behind it.
			this.deps.posts.begin(channelId);
			const run = this.#attempt(jobId);
			this.#running.add(run);
			void run.finally(() => {
				this.#running.delete(run);
				this.deps.posts.end(channelId);
			});
		}, delayMs);
		this.#timers.set(jobId, timer);
	}

	async #attempt(jobId: string): Promise<void> {
		if (this.#stopped) return;
		const { store, delivery, endings, progress, now } = this.deps;
		let job: Job | undefined;
		try {
			// Read again just before posting: a job a sibling adopted (this process was taken for dead) is its to post.
			job = await store.get(jobId);
			if (!job?.result || job.state !== 'delivering' || job.owner !== this.deps.ownerId) return this.#forget(jobId);
			if (now() >= job.result.expiresAt) {
				await endings.expired(job);
				return this.#forget(jobId);
			}
			progress.want(job);
			const [ready, stored] = [job, job.result];
			const attempt = { mayHavePosted: this.#mayHavePosted.has(jobId) };
			// Only the video's bytes need bounding: reading and recording the job go on outside the few slots.
			const result = await this.#slots.run(async () =>
				this.#stopped ? undefined : delivery.deliver(ready, stored, attempt),
			);
			// Stopped while it waited for a slot: the next start resumes it.
			if (!result) return;
			await endings.delivered(job, result);
			this.#forget(jobId);
		} catch (error) {
			this.#retryLater(jobId, job, error);
		}
	}

	#retryLater(jobId: string, job: Job | undefined, error: unknown): void {
		const { logger, retry, now } = this.deps;
		if (this.#stopped) return;
		const failures = (this.#failures.get(jobId) ?? 0) + 1;
		this.#failures.set(jobId, failures);
		this.#mayHavePosted.add(jobId);
		const backoff = Math.min(retry.maxMs, retry.minMs * 2 ** (failures - 1));
		const jittered = backoff / 2 + Math.random() * (backoff / 2);
		// The last try comes as the URL dies, and ends the job as expired rather than waiting a whole backoff past it.
		const untilExpiryMs = job?.result ? Math.max(0, job.result.expiresAt - now()) : Number.POSITIVE_INFINITY;
		const retryInMs = Math.round(Math.min(jittered, untilExpiryMs));
		logger.warn(
			{ err: error, jobId, ...(job && jobLogContext(job)), failures, retryInMs },
			'video not delivered yet; will try again',
		);
		this.#schedule(jobId, retryInMs);
	}

	#forget(jobId: string): void {
		this.#tracked.delete(jobId);
		this.#failures.delete(jobId);
		this.#mayHavePosted.delete(jobId);
		this.deps.delivery.forget(jobId);
	}
}
