/**
 * Videos on their way to each channel: due to be posted, or being posted. Posts and the bot's own progress messages
 * in a channel share its rate limit, so progress waits while a channel has videos to post, and is told when it has
 * none left.
 */
export class ChannelPosts {
	readonly #pending = new Map<string, number>();
	readonly #idleListeners: Array<(channelId: string) => void> = [];

	begin(channelId: string): void {
		this.#pending.set(channelId, (this.#pending.get(channelId) ?? 0) + 1);
	}

	end(channelId: string): void {
		const left = (this.#pending.get(channelId) ?? 1) - 1;
		if (left > 0) {
			this.#pending.set(channelId, left);
			return;
		}
		this.#pending.delete(channelId);
		for (const listener of this.#idleListeners) listener(channelId);
	}

	busy(channelId: string): boolean {
		return this.#pending.has(channelId);
	}

	onIdle(listener: (channelId: string) => void): void {
		this.#idleListeners.push(listener);
	}
}
