/**
 * Discord limits message edits per channel without documenting the number (about 5 per 5 s is what people see).
 * Progress edits stay under a lower, configurable count, so a result post or a final edit always finds room.
 */
export class EditThrottle {
	readonly #recent = new Map<string, number[]>();

	constructor(
		private readonly editsPerWindow: number,
		private readonly windowMs = 5_000,
		private readonly now: () => number = Date.now,
	) {}

	tryAcquire(channelId: string): boolean {
		const now = this.now();
		const recent = (this.#recent.get(channelId) ?? []).filter((at) => now - at < this.windowMs);
		if (recent.length >= this.editsPerWindow) {
			this.#recent.set(channelId, recent);
			return false;
		}
		recent.push(now);
		this.#recent.set(channelId, recent);
		return true;
	}
}
