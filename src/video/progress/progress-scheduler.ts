import { setTimeout as sleep } from 'node:timers/promises';
import { isDiscordUnreachable } from '../../discord/discord-unreachable.js';
import type { DiscordMessenger } from '../../discord/messenger.js';
import { discordErrorCode } from '../../discord/messenger.js';
import { channelBucket, type RateLimitBoard, webhookBucket } from '../../discord/rate-limit-board.js';
import type { Clock } from '../../domain/clock.js';
import { isOpen, type Job } from '../../domain/job.js';
import { jobLogContext } from '../../domain/job-log-context.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { ChannelPosts } from '../delivery/channel-posts.js';
import { ConcurrencyLimit } from '../delivery/concurrency-limit.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import type { ProgressPlace, ProgressSender } from './progress-sender.js';
import { renderProgress } from './progress-view.js';
import { SentFingerprints } from './sent-fingerprints.js';

/** A job's last word that Discord did not take (down, timing out) is tried again this often, doubling, this long. */
const FINAL_RETRY_FIRST_MS = 1_000;
const FINAL_RETRY_MAX_MS = 60_000;
const FINAL_TRIES = 10;
/**
 * discord.js sends at most 50 requests a second in all, posts and edits together: a burst of a thousand jobs handed to
 * it at once would only wait there, each holding its request in memory. A few at a time, the rest wait here as one
 * latest body per job, which also lets a busy moment skip states that would be stale by the time they went out.
 */
const EDITS_IN_FLIGHT = 10;

export interface ProgressSchedulerDeps {
	sender: Pick<ProgressSender, 'send'>;
	messenger: Pick<DiscordMessenger, 'tokenUsable'>;
	board: Pick<RateLimitBoard, 'waitMs'>;
	posts: Pick<ChannelPosts, 'busy' | 'onIdle'>;
	estimates: Pick<RenderEstimates, 'expectedSeconds'>;
	metrics: BotMetrics;
	logger: Logger;
	now: Clock;
}

interface Bucket {
	/** Jobs with a body to send, in the order they first asked. */
	jobIds: Set<string>;
	/** Set for a channel's bucket, which the channel's video posts share. */
	channelId?: string;
}

/**
 * Progress is a courtesy that never holds anything up: callers say what a job's reply should now show and carry on.
 * Edits go out in the background, one queue per Discord rate-limit bucket — the interaction's webhook (each reply has
 * its own) while its token lives, else the channel, shared with the channel's video posts, which go first. Each
 * queue keeps only the latest body per job, so a busy bucket skips states nobody would have read, and waits for room
 * as Discord's own headers tell it, never drawing a 429. A job's last word (done, failed, the link) always goes out,
 * after the post it points to, and is tried again when Discord is away.
 */
export class ProgressScheduler {
	/** The latest body wanted per job, not yet sent. */
	readonly #wanted = new Map<string, Job>();
	readonly #buckets = new Map<string, Bucket>();
	readonly #queuedIn = new Map<string, string>();
	readonly #pumping = new Set<string>();
	readonly #timers = new Map<string, NodeJS.Timeout>();
	/** Channel buckets waiting for the channel's video posts to go first. */
	readonly #behindPosts = new Set<string>();
	/** Jobs whose reply can no longer be edited (deleted, or its token refused). */
	readonly #replyGone = new Set<string>();
	/** The channel message standing in for a reply, as soon as it exists (before the store's copy of the job says so). */
	readonly #progressMessages = new Map<string, string>();
	readonly #finalTries = new Map<string, number>();
	readonly #retries = new Set<NodeJS.Timeout>();
	readonly #sent: SentFingerprints;
	readonly #inFlight = new ConcurrencyLimit(EDITS_IN_FLIGHT);
	#stopped = false;

	constructor(private readonly deps: ProgressSchedulerDeps) {
		this.#sent = new SentFingerprints(deps.now);
		deps.posts.onIdle((channelId) => {
			const bucket = channelBucket(channelId);
			if (this.#behindPosts.delete(bucket)) this.#pump(bucket);
		});
	}

	/** What the job's progress should show now; sent when its bucket has room, replacing anything older not yet sent. */
	want(job: Job): void {
		if (this.#stopped) return;
		const earlier = this.#wanted.get(job.id);
		if (earlier && earlier.updatedAt > job.updatedAt) return;
		this.#wanted.set(job.id, job);
		if (!this.#queuedIn.has(job.id)) this.#enqueue(job);
	}

	/** Sends what is wanted; for a shutdown, which bounds how long it waits. */
	async drain(): Promise<void> {
		while (!this.#stopped && (this.#wanted.size > 0 || this.#pumping.size > 0)) {
			await sleep(50, undefined, { ref: false });
		}
	}

	/** Sends nothing more: what is left unsaid is lost with the process, as a courtesy may be. */
	stop(): void {
		this.#stopped = true;
		for (const timer of [...this.#timers.values(), ...this.#retries]) clearTimeout(timer);
		this.#timers.clear();
		this.#retries.clear();
	}

	#placeOf(job: Job): { place: ProgressPlace; bucket: string } {
		const onChannel =
			job.progressMessageId !== undefined ||
			this.#progressMessages.has(job.id) ||
			this.#replyGone.has(job.id) ||
			!this.deps.messenger.tokenUsable(job);
		if (onChannel) return { place: 'channel', bucket: channelBucket(job.channelId) };
		return { place: 'reply', bucket: webhookBucket(job.interaction.applicationId, job.interaction.token) };
	}

	#enqueue(job: Job): void {
		const { place, bucket: key } = this.#placeOf(job);
		let bucket = this.#buckets.get(key);
		if (!bucket) {
			bucket = { jobIds: new Set(), ...(place === 'channel' ? { channelId: job.channelId } : {}) };
			this.#buckets.set(key, bucket);
		}
		bucket.jobIds.add(job.id);
		this.#queuedIn.set(job.id, key);
		this.#pump(key);
	}

	#pump(key: string): void {
		if (this.#stopped || this.#pumping.has(key) || this.#timers.has(key) || this.#behindPosts.has(key)) return;
		this.#pumping.add(key);
		void this.#drainBucket(key)
			.catch((error: unknown) => this.deps.logger.error({ err: error }, 'progress queue failed'))
			.finally(() => {
				this.#pumping.delete(key);
				if (this.#buckets.has(key)) this.#pump(key);
			});
	}

	async #drainBucket(key: string): Promise<void> {
		const bucket = this.#buckets.get(key);
		while (bucket && bucket.jobIds.size > 0 && !this.#stopped) {
			if (this.#mustWait(key, bucket)) return;
			const waited = await this.#inFlight.run(() => this.#sendNext(key, bucket));
			if (waited === 'must wait') return;
		}
		if (bucket?.jobIds.size === 0) this.#buckets.delete(key);
	}

	/**
	 * The bucket's first job, as last wanted: picked only once a send may start, so it is the latest. The bucket's room
	 * is asked again, as it may have changed while this waited for its turn.
	 */
	async #sendNext(key: string, bucket: Bucket): Promise<'must wait' | undefined> {
		if (this.#mustWait(key, bucket)) return 'must wait';
		const [jobId] = bucket.jobIds;
		if (jobId === undefined || this.#stopped) return;
		bucket.jobIds.delete(jobId);
		this.#queuedIn.delete(jobId);
		const job = this.#wanted.get(jobId);
		this.#wanted.delete(jobId);
		if (!job) return;
		const { place, bucket: nowIn } = this.#placeOf(job);
		if (nowIn !== key) {
			// Its token ran out while it waited: it queues again where it now belongs.
			this.want(job);
			return;
		}
		await this.#send(job, place);
	}

	/** Whether the bucket has no room now; if so, it is woken when it will have. */
	#mustWait(key: string, bucket: Bucket): boolean {
		if (bucket.channelId !== undefined && this.deps.posts.busy(bucket.channelId)) {
			this.#behindPosts.add(key);
			return true;
		}
		// In a channel, one request is left for a video post that may start meanwhile.
		const waitMs = this.deps.board.waitMs(key, bucket.channelId === undefined ? 0 : 1);
		if (waitMs <= 0) return false;
		const timer = setTimeout(() => {
			this.#timers.delete(key);
			this.#pump(key);
		}, waitMs);
		timer.unref();
		this.#timers.set(key, timer);
		return true;
	}

	async #send(wanted: Job, place: ProgressPlace): Promise<void> {
		const progressMessageId = wanted.progressMessageId ?? this.#progressMessages.get(wanted.id);
		const job = progressMessageId === undefined ? wanted : { ...wanted, progressMessageId };
		const final = !isOpen(job);
		try {
			const body = renderProgress(job, await this.#expectedFinishAt(job));
			const fingerprint = JSON.stringify(body);
			if (this.#sent.isUnchanged(job.id, fingerprint)) {
				this.#done(job, final);
				return;
			}
			const outcome = await this.deps.sender.send(job, body, place);
			if (!outcome.sent && outcome.reason === 'reply-gone') {
				this.#replyGone.add(job.id);
				if (!this.#wanted.has(job.id)) this.want(job);
				return;
			}
			if (outcome.sent) {
				this.#sent.remember(job.id, fingerprint);
				if (outcome.progressMessageId) this.#progressMessages.set(job.id, outcome.progressMessageId);
			}
			this.#done(job, final);
		} catch (error) {
			this.deps.metrics.discordEditFailed(discordErrorCode(error) ?? 'network');
			this.deps.logger.warn({ err: error, ...jobLogContext(job) }, 'progress edit failed');
			if (final && isDiscordUnreachable(error)) this.#tryFinalAgain(job);
			else this.#done(job, final);
		}
	}

	async #expectedFinishAt(job: Job): Promise<number | undefined> {
		if (!job.submittedAt || (job.state !== 'queued' && job.state !== 'rendering')) return undefined;
		const { resolution, duration } = job.settings;
		return job.submittedAt + (await this.deps.estimates.expectedSeconds(resolution, duration)) * 1000;
	}

	#tryFinalAgain(job: Job): void {
		const tries = (this.#finalTries.get(job.id) ?? 0) + 1;
		if (tries >= FINAL_TRIES) {
			this.#done(job, true);
			return;
		}
		this.#finalTries.set(job.id, tries);
		const timer = setTimeout(
			() => {
				this.#retries.delete(timer);
				if (!this.#wanted.has(job.id)) this.want(job);
			},
			Math.min(FINAL_RETRY_MAX_MS, FINAL_RETRY_FIRST_MS * 2 ** (tries - 1)),
		);
		timer.unref();
		this.#retries.add(timer);
	}

	/** Nothing more is sent about an ended job once its last word went out (or could not). */
	#done(job: Job, final: boolean): void {
		if (!final || this.#wanted.has(job.id)) return;
		this.#sent.forget(job.id);
		this.#replyGone.delete(job.id);
		this.#progressMessages.delete(job.id);
		this.#finalTries.delete(job.id);
	}
}
