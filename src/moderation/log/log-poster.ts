import { setTimeout as sleep } from 'node:timers/promises';
import { fitContent, length, MESSAGE_LIMITS } from '../../discord/message-limits.js';
import type { Logger } from '../../ops/logger.js';
import type { LogChannel, LogStopReason } from '../moderation-settings.js';
import { logRefusalOf } from './log-refusal.js';

/** A server's log channel as it was set when a line was written for it. */
export type LogTarget = LogChannel & { guildId: string };

export interface LogPosterOptions {
	send(channelId: string, content: string): Promise<void>;
	/** Discord refused the channel for good: called once per setting of the channel, and nothing more is sent there. */
	refused(target: LogTarget, reason: LogStopReason, error: unknown): Promise<void>;
	/** The line that stands for lines dropped from a full queue, in the target's language. */
	droppedNote(target: LogTarget, count: number): string;
	dropped(count: number, why: 'queue-full' | 'post-failed'): void;
	logger: Logger;
	/** Lines waiting per channel; past it the oldest are dropped. */
	capacity: number;
	/** Discord allows about 5 messages per 5 s in one channel, shared with everyone posting there. */
	minGapMs: number;
}

interface ChannelQueue {
	target: LogTarget;
	lines: string[];
	dropped: number;
}

const settingKey = (target: LogTarget) => `${target.channelId}:${target.setAt}`;

/**
 * One queue per log channel, drained by one sender at a time, at most one message per `minGapMs`: lines that arrive
 * meanwhile are sent together in the next message (up to Discord's 2000 characters), so a busy server's log stays
 * within Discord's limits and the bot's REST budget. Posting is never awaited by whoever adds a line; a full queue
 * drops its oldest lines, a failed post is dropped (discord.js has already retried 5xx and waited out 429s), and a
 * channel Discord refuses is given up until its log is set again.
 */
export class LogPoster {
	readonly #queues = new Map<string, ChannelQueue>();
	readonly #refusedSettings = new Set<string>();
	#stopped = false;

	constructor(private readonly options: LogPosterOptions) {}

	post(target: LogTarget, line: string): void {
		if (this.#stopped || this.#refusedSettings.has(settingKey(target))) return;
		const queued = this.#queues.get(target.channelId);
		if (queued) {
			queued.target = target;
			queued.lines.push(fitContent(line));
			this.#keepWithinCapacity(queued);
			return;
		}
		const queue: ChannelQueue = { target, lines: [fitContent(line)], dropped: 0 };
		this.#queues.set(target.channelId, queue);
		void this.#drain(queue).finally(() => this.#queues.delete(target.channelId));
	}

	/** Drops every waiting line; what is being sent finishes on its own. */
	stop(): void {
		this.#stopped = true;
		for (const queue of this.#queues.values()) queue.lines = [];
	}

	#keepWithinCapacity(queue: ChannelQueue): void {
		const excess = queue.lines.length - this.options.capacity;
		if (excess <= 0) return;
		queue.lines.splice(0, excess);
		queue.dropped += excess;
		this.options.dropped(excess, 'queue-full');
	}

	async #drain(queue: ChannelQueue): Promise<void> {
		const { send, logger, minGapMs } = this.options;
		while (queue.lines.length > 0 && !this.#stopped) {
			const target = queue.target;
			const lines = this.#nextMessage(queue);
			try {
				await send(target.channelId, lines.join('\n'));
			} catch (error) {
				const reason = logRefusalOf(error);
				if (reason !== undefined) {
					await this.#giveUp(queue, lines.length, reason, error);
					return;
				}
				this.options.dropped(lines.length, 'post-failed');
				logger.warn(
					{ err: error, guildId: target.guildId, channelId: target.channelId, lines: lines.length },
					'moderation log lines not posted',
				);
			}
			await sleep(minGapMs, undefined, { ref: false });
		}
	}

	/** The lines of the next message: a note for lines dropped since the last one, then as many as fit. */
	#nextMessage(queue: ChannelQueue): string[] {
		const lines: string[] = [];
		let size = 0;
		if (queue.dropped > 0) {
			const note = this.options.droppedNote(queue.target, queue.dropped);
			this.options.logger.warn(
				{ guildId: queue.target.guildId, channelId: queue.target.channelId, dropped: queue.dropped },
				'moderation log lines dropped: the channel’s queue was full',
			);
			queue.dropped = 0;
			lines.push(note);
			size = length(note);
		}
		while (queue.lines.length > 0) {
			const next = queue.lines[0] ?? '';
			const grown = size + (lines.length > 0 ? 1 : 0) + length(next);
			if (lines.length > 0 && grown > MESSAGE_LIMITS.content) break;
			lines.push(next);
			size = grown;
			queue.lines.shift();
		}
		return lines;
	}

	async #giveUp(queue: ChannelQueue, refusedLines: number, reason: LogStopReason, error: unknown): Promise<void> {
		const target = queue.target;
		this.#refusedSettings.add(settingKey(target));
		this.options.dropped(refusedLines + queue.lines.length, 'post-failed');
		queue.lines = [];
		try {
			await this.options.refused(target, reason, error);
		} catch (failure) {
			this.options.logger.error(
				{ err: failure, guildId: target.guildId, channelId: target.channelId },
				'could not record that the moderation log channel refused the bot',
			);
		}
	}
}
