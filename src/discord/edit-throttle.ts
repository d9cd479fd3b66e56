import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../domain/clock.js';

/** What Discord is seen to allow per channel (about 5 edits per 5 s); it answers 429 beyond. */
const DISCORD_EDITS_PER_WINDOW = 5;

/**
 * Discord limits message edits per channel without documenting the number (about 5 per 5 s is what people see).
 * Progress edits stay under a lower, configurable count, so a final edit always finds room; final edits count too,
 * and wait for room rather than draw a 429 when several jobs in one channel end together.
 */
export class EditThrottle {
	readonly #recent = new Map<string, number[]>();
	readonly #channelLimit: number;
	#sweptAt: number;

	constructor(
		private readonly editsPerWindow: number,
		private readonly windowMs = 5_000,
		private readonly now: Clock = Date.now,
	) {
		this.#channelLimit = Math.max(DISCORD_EDITS_PER_WINDOW, editsPerWindow + 1);
		this.#sweptAt = now();
	}

	/** Channels with an edit inside the current window: the only ones remembered. */
	get trackedChannels(): number {
		return this.#recent.size;
	}

	/** For a progress edit, which is skipped when there is no room: the next one carries the news. */
	tryAcquire(channelId: string): boolean {
		return this.#take(channelId, this.editsPerWindow);
	}

	/** For a final edit, which must land: waits until the channel has room. */
	async acquireFinal(channelId: string): Promise<void> {
		while (!this.#take(channelId, this.#channelLimit)) {
			const oldest = this.#recent.get(channelId)?.[0] ?? this.now();
			await sleep(Math.max(1, oldest + this.windowMs - this.now()));
		}
	}

	#take(channelId: string, limit: number): boolean {
		const now = this.now();
		this.#forgetQuietChannels(now);
		const recent = (this.#recent.get(channelId) ?? []).filter((at) => now - at < this.windowMs);
		if (recent.length >= limit) {
			this.#recent.set(channelId, recent);
			return false;
		}
		recent.push(now);
		this.#recent.set(channelId, recent);
		return true;
	}

	/** Once a window, channels with no edit left inside it are dropped, so every channel ever edited is not kept. */
	#forgetQuietChannels(now: number): void {
		if (now - this.#sweptAt < this.windowMs) return;
		this.#sweptAt = now;
		for (const [channelId, times] of this.#recent) {
			if (times.every((at) => now - at >= this.windowMs)) this.#recent.delete(channelId);
		}
	}
}
