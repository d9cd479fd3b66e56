/**
 * Downloaded videos waiting for Discord to take them, so that a failed post does not cost another download. Within a
 * byte budget: past it the oldest are dropped (and downloaded again if still needed), so an outage cannot grow memory.
 */
export class KeptDownloads {
	readonly #videos = new Map<string, Uint8Array>();
	#bytes = 0;

	constructor(private readonly budgetBytes: number) {}

	get(jobId: string): Uint8Array | undefined {
		return this.#videos.get(jobId);
	}

	keep(jobId: string, bytes: Uint8Array): void {
		this.forget(jobId);
		if (bytes.length > this.budgetBytes) return;
		for (const [oldestId] of this.#videos) {
			if (this.#bytes + bytes.length <= this.budgetBytes) break;
			this.forget(oldestId);
		}
		this.#videos.set(jobId, bytes);
		this.#bytes += bytes.length;
	}

	forget(jobId: string): void {
		const bytes = this.#videos.get(jobId);
		if (!bytes) return;
		this.#videos.delete(jobId);
		this.#bytes -= bytes.length;
	}
}
