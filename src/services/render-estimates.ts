import type Keyv from 'keyv';
import type { Resolution } from '../domain/video.js';

const SAMPLES_KEPT = 20;
/** With no history at all, assume a mid-range render; the poller then tightens around it. */
const COLD_START_SECONDS = 60;

const estimateKey = (resolution: Resolution, duration: number) => `estimates:${resolution}:${duration}s`;

/** Learns how long renders take, by resolution and duration, from the jobs that finished. */
export class RenderEstimates {
	readonly #cache = new Map<string, number[]>();

	constructor(private readonly keyv: Keyv) {}

	async record(resolution: Resolution, duration: number, seconds: number): Promise<void> {
		const key = estimateKey(resolution, duration);
		const samples = [...(await this.#samples(key)), seconds].slice(-SAMPLES_KEPT);
		this.#cache.set(key, samples);
		await this.keyv.set(key, samples);
	}

	/** Expected seconds from submit to finish: the median of recent jobs with the same settings, else a neighbour. */
	async expectedSeconds(resolution: Resolution, duration: number): Promise<number> {
		const own = await this.#samples(estimateKey(resolution, duration));
		if (own.length > 0) return median(own);
		for (let distance = 1; distance <= 14; distance += 1) {
			for (const neighbour of [duration - distance, duration + distance]) {
				if (neighbour < 1 || neighbour > 15) continue;
				const samples = await this.#samples(estimateKey(resolution, neighbour));
				if (samples.length > 0) return (median(samples) * duration) / neighbour;
			}
		}
		return COLD_START_SECONDS;
	}

	async #samples(key: string): Promise<number[]> {
		const cached = this.#cache.get(key);
		if (cached) return cached;
		const stored = (await this.keyv.get<number[]>(key)) ?? [];
		this.#cache.set(key, stored);
		return stored;
	}
}

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
