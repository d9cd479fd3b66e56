import { DelayedError, Queue, type Job as QueuedJob, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../domain/clock.js';
import { isOpen, type Job } from '../../domain/job.js';
import type { Logger } from '../../ops/logger.js';

const queuedJobSchema = z.object({ jobId: z.string().min(1) });
type QueuedData = z.infer<typeof queuedJobSchema>;

/** Why this process let go of a job it held. */
type Release = 'ended' | 'lost' | 'stopping';

export interface OpenJobQueueDeps {
	redisUrl: string;
	/** One queue per bot: processes of other bots may share the Redis. */
	queueName: string;
	/**
	 * How long a job's lock outlives the last renewal of the process holding it: a process killed mid-job has its jobs
	 * taken by a sibling within about this plus a third of it.
	 */
	lockMs: number;
	/**
	 * Claims a job the queue gave this process and follows it (a job to send is sent at once). Returns the job as
	 * claimed, the job as found when it waits in line, or undefined once it has ended.
	 */
	takeOver: (jobId: string) => Promise<Job | undefined>;
	/** Ends a job waiting in line past its deadline; does nothing to a job that has moved on. */
	expireInLine: (jobId: string) => Promise<void>;
	/** Every open job in the store, each process's. */
	openJobs: () => Promise<Job[]>;
	/** This process's owner id. */
	ownerId: string;
	logger: Logger;
	now: Clock;
}

/**
 * BullMQ's worker, told when each renewal of its locks started: a lock renewed at `startedAt` runs at least until
 * `startedAt + duration`, whenever the answer came back.
 */
class RenewalTrackingWorker extends Worker<QueuedData> {
	onRenewed: (jobIds: string[], heldUntil: number) => void = () => undefined;

	override async extendJobLocks(jobIds: string[], tokens: string[], duration: number): Promise<string[]> {
		const startedAt = Date.now();
		const failed = await super.extendJobLocks(jobIds, tokens, duration);
		this.onRenewed(
			jobIds.filter((jobId) => !failed.includes(jobId)),
			startedAt + duration,
		);
		return failed;
	}
}

interface Held {
	/** Until when this process's lock on the job surely runs. */
	heldUntil: number;
	/** When this process claimed it: a sweep that read the store before then knows nothing of the claim. */
	since: number;
	release: (why: Release) => void;
}

/**
 * Every open job of several processes is a work item in one BullMQ queue on Redis, under the video job's own id, and
 * the process whose worker holds it follows it: sends it, polls it, posts its video. BullMQ keeps the holder's lock
 * alive while the process lives; when a process dies, its locks lapse, BullMQ's stalled-job check (run by every live
 * worker) puts its jobs back in the queue, and a sibling's worker takes each. A job waiting in its server's line is a
 * delayed item until its line deadline, promoted when its turn comes.
 *
 * Adding is idempotent (BullMQ refuses a second item with the same id), so a job is never followed twice through the
 * queue; the store's conditional owner change and the post's nonce cover a holder whose lock lapsed while it lived.
 */
export class OpenJobQueue {
	readonly #queue: Queue<QueuedData>;
	readonly #worker: RenewalTrackingWorker;
	readonly #held = new Map<string, Held>();
	readonly #connections: Redis[] = [];
	#sweepTimer: NodeJS.Timeout | undefined;
	/** Set by `pause`: an item taken from then on is handed back untouched. */
	#paused = false;
	/** Claims under way: `pause` waits for them, so whatever they started is drained with the rest. */
	readonly #claiming = new Map<string, Promise<Job | undefined>>();
	/** Jobs that ended while being claimed, before they were held: a job followed at once may end that fast. */
	readonly #endedWhileClaimed = new Set<string>();
	/** Set by `close`: a job claimed from then on is handed back as soon as it is held. */
	#closing = false;
	#sweeping: Promise<void> | undefined;

	constructor(private readonly deps: OpenJobQueueDeps) {
		const connection = () => {
			// BullMQ's blocking reads need commands that wait for Redis to come back instead of failing after retries.
			const redis = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
			redis.on('error', () => undefined);
			this.#connections.push(redis);
			return redis;
		};
		this.#queue = new Queue(deps.queueName, {
			connection: connection(),
			defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
		});
		this.#queue.on('error', (error) => deps.logger.error({ err: error }, 'the open-job queue failed'));
		this.#worker = new RenewalTrackingWorker(deps.queueName, (job, token) => this.#process(job, token), {
			connection: connection(),
			autorun: false,
			// A follow lasts as long as its render and delivery; the jobs a process follows are bounded by the credits.
			concurrency: 100_000,
			lockDuration: deps.lockMs,
			// Renewed every third of the lock, so two renewals may fail before a sibling takes the job.
			lockRenewTime: Math.round(deps.lockMs / 3),
			stalledInterval: Math.round(deps.lockMs / 3),
			// A job whose process died any number of times is still an open job: it is never failed for it.
			maxStalledCount: Number.MAX_SAFE_INTEGER,
		});
		this.#worker.onRenewed = (jobIds, heldUntil) => {
			for (const jobId of jobIds) {
				const held = this.#held.get(jobId);
				if (held) held.heldUntil = heldUntil;
			}
		};
		this.#worker.on('lockRenewalFailed', (jobIds) => {
			for (const jobId of jobIds) this.#held.get(jobId)?.release('lost');
		});
		this.#worker.on('error', (error) => deps.logger.warn({ err: error }, 'the open-job worker reported an error'));
	}

	/** Takes jobs from the queue, and at every sweep makes sure each open job has its item. */
	start(): void {
		this.#worker.run().catch((error: unknown) => this.deps.logger.error({ err: error }, 'the open-job worker stopped'));
		this.#sweepTimer = setInterval(() => {
			this.#sweeping ??= this.#sweep().finally(() => {
				this.#sweeping = undefined;
			});
		}, this.deps.lockMs).unref();
	}

	/** Puts an open job in the queue: to be followed now, or, waiting in line, at its line deadline. */
	async add(job: Job): Promise<void> {
		const { name, data, opts } = this.#item(job);
		await this.#queue.add(name, data, opts);
	}

	/** Every job given, in one round trip; an item already there is left as it is. */
	async addAll(jobs: readonly Job[]): Promise<void> {
		await this.#queue.addBulk(jobs.map((job) => this.#item(job)));
	}

	#item(job: Job) {
		const delay = job.state === 'in_line' ? Math.max(0, job.deadlineAt - this.deps.now()) : 0;
		return { name: 'follow', data: { jobId: job.id }, opts: { jobId: job.id, delay } };
	}

	/** A job whose turn in line came: its delayed item is followed now. */
	async promote(jobId: string): Promise<void> {
		const queued = await this.#queue.getJob(jobId);
		// Not delayed: its holder is reading it now, and promotes it itself once it sees the job left the line.
		if (queued && (await queued.isDelayed())) await queued.promote().catch(() => undefined);
	}

	/** Told of every job that ended in this process: its item is done. */
	ended(jobId: string): void {
		if (this.#claiming.has(jobId)) this.#endedWhileClaimed.add(jobId);
		this.#held.get(jobId)?.release('ended');
	}

	/** How many jobs this process holds, and so follows. */
	get heldCount(): number {
		return this.#held.size;
	}

	/** Until when no sibling can take the job from this process; undefined for a job it does not hold. */
	heldUntil(jobId: string): number | undefined {
		return this.#held.get(jobId)?.heldUntil;
	}

	/** Takes no more jobs; those held stay held, their locks renewed, until `close`. */
	async pause(): Promise<void> {
		this.#paused = true;
		clearInterval(this.#sweepTimer);
		await Promise.all([this.#worker.pause(true), this.#sweeping, Promise.allSettled(this.#claiming.values())]);
	}

	/** Once this process's work is drained: every job still held goes back to the queue for a sibling, at once. */
	async close(): Promise<void> {
		this.#closing = true;
		for (const held of this.#held.values()) held.release('stopping');
		await this.#worker.close().catch(() => undefined);
		await this.#queue.close().catch(() => undefined);
		for (const redis of this.#connections) redis.disconnect();
	}

	async #process(queued: QueuedJob<QueuedData>, token: string | undefined): Promise<void> {
		const { jobId } = queuedJobSchema.parse(queued.data);
		try {
			if (this.#paused) {
				await queued.moveToDelayed(this.deps.now(), token);
				throw new DelayedError();
			}
			const claiming = this.#claim(queued, token, jobId);
			this.#claiming.set(jobId, claiming);
			const job = await claiming.finally(() => this.#claiming.delete(jobId));
			if (this.#endedWhileClaimed.delete(jobId) || !job) return;
			const why = await new Promise<Release>((release) => {
				if (this.#closing) return release('stopping');
				const heldUntil = (queued.processedOn ?? this.deps.now()) + this.deps.lockMs;
				this.#held.set(jobId, { heldUntil, since: this.deps.now(), release });
			});
			this.#held.delete(jobId);
			if (why === 'ended') return;
			// Lost: the lock lapsed and BullMQ hands the item to whoever takes it next. Stopping: handed back at once.
			if (why === 'stopping') await queued.moveToDelayed(this.deps.now(), token);
		} catch (error) {
			this.#endedWhileClaimed.delete(jobId);
			if (error instanceof DelayedError) throw error;
			this.#held.delete(jobId);
			this.deps.logger.error({ err: error, jobId }, 'a queued job could not be taken; it is tried again');
			await queued.moveToDelayed(this.deps.now() + this.deps.lockMs, token);
		}
		throw new DelayedError();
	}

	/**
	 * The job, claimed and followed here; undefined once it ended. A job waiting in line is not followed: its item waits
	 * until the line's deadline (and ends the job then), unless its turn came meanwhile.
	 */
	async #claim(queued: QueuedJob<QueuedData>, token: string | undefined, jobId: string): Promise<Job | undefined> {
		const job = await this.deps.takeOver(jobId);
		if (job?.state !== 'in_line') return job;
		if (this.deps.now() >= job.deadlineAt) {
			await this.deps.expireInLine(jobId);
			const after = await this.deps.takeOver(jobId);
			if (after?.state === 'in_line') throw new Error('the job still waits in line past its deadline');
			return after;
		}
		await queued.moveToDelayed(job.deadlineAt, token);
		// Its turn may have come while it was read: then the promotion found it held, and it is promoted here.
		if ((await this.deps.takeOver(jobId))?.state !== 'in_line') await queued.promote();
		throw new DelayedError();
	}

	/**
	 * Lets go of jobs that ended elsewhere (a sibling ended them) or that a sibling holds now, puts back in the queue any
	 * open job without an item (its add failed, or it predates the queue), and promotes the item of a job out of the line
	 * whose promotion failed (it would wait for the line's deadline).
	 */
	async #sweep(): Promise<void> {
		const { openJobs, ownerId, logger, now } = this.deps;
		try {
			const readAt = now();
			const open = (await openJobs()).filter(isOpen);
			const stillOurs = new Set(open.filter((job) => job.owner === ownerId).map((job) => job.id));
			for (const [jobId, held] of this.#held) {
				if (held.since < readAt && !stillOurs.has(jobId)) held.release('lost');
			}
			await this.addAll(open);
			const outOfLine = new Set(open.filter((job) => job.state !== 'in_line').map((job) => job.id));
			for (const item of await this.#queue.getDelayed()) {
				if (item.id && outOfLine.has(item.id)) await item.promote().catch(() => undefined);
			}
		} catch (error) {
			logger.error({ err: error }, 'the sweep of open jobs failed; it runs again');
		}
	}
}
