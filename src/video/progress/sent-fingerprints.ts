import type { Clock } from '../../domain/clock.js';

/**
 * The last text sent for each job, so an edit that would change nothing is skipped. A job's entry goes when the job
 * ends, or once it has been quiet this long (a job stopped by a crash or a lost poll never says it ended), so a month
 * of jobs leaves nothing behind; forgetting one early costs a single repeated edit.
 */
const QUIET_FOR_MS = 60 * 60 * 1000;

export class SentFingerprints {
	readonly #sent = new Map<string, { fingerprint: string; at: number }>();
	#sweptAt: number;

	constructor(private readonly now: Clock) {
		this.#sweptAt = now();
	}

	isUnchanged(jobId: string, fingerprint: string): boolean {
		return this.#sent.get(jobId)?.fingerprint === fingerprint;
	}

	remember(jobId: string, fingerprint: string): void {
		const now = this.now();
		this.#sent.set(jobId, { fingerprint, at: now });
		if (now - this.#sweptAt < QUIET_FOR_MS) return;
		this.#sweptAt = now;
		for (const [id, { at }] of this.#sent) if (now - at >= QUIET_FOR_MS) this.#sent.delete(id);
	}

	forget(jobId: string): void {
		this.#sent.delete(jobId);
	}

	get size(): number {
		return this.#sent.size;
	}
}
