import type Keyv from 'keyv';
import { z } from 'zod';
import { RESOLUTIONS, type Resolution } from '../../domain/video.js';

/** Enough for the fastest and slowest few per cent to show, few enough that a slower provider is learned in minutes. */
const SAMPLES_KEPT = 50;
/** With no history at all, assume a mid-range render; the poller then tightens around it. */
const COLD_START_SECONDS = 60;
/**
 * With no history at all, renders are taken to last 20 s to 5 min, each ratio of lengths as likely as another: wide
 * enough not to miss a fast provider, and the first finished job replaces it.
 */
const COLD_START_PRIOR_SECONDS = [20, 27, 36, 48, 64, 85, 113, 150, 200, 267];
const COLD_START_SPREAD = 0.15;
/** Each past render stands for a band around it, wider when there are few of them. */
const SPREAD_ONE_SAMPLE = 0.35;
const SPREAD_MIN = 0.04;
/** Another duration's renders, rescaled, say less about this one than its own would. */
const NEIGHBOUR_SPREAD_MIN = 0.15;

const estimateKey = (resolution: Resolution, duration: number) => `estimates:${resolution}:${duration}s`;
const samplesSchema = z.array(z.number().nonnegative());

/**
 * How long renders of one kind take, from submit to finish: past renders, each smoothed into a band of ±`spread`
 * around it, so a few samples still give a continuous chance of finishing at any moment.
 */
export class RenderTimeDistribution {
	readonly #bands: ReadonlyArray<readonly [number, number]>;

	constructor(
		samplesSeconds: readonly number[],
		readonly spread: number,
		/** False when nothing finished yet: a cold start. */
		readonly learned: boolean,
	) {
		this.#bands = samplesSeconds.map((seconds) => [seconds * 1000 * (1 - spread), seconds * 1000 * (1 + spread)]);
	}

	/** The chance that a render is still running `ms` after submit. */
	survival(ms: number): number {
		if (this.#bands.length === 0) return 0;
		let running = 0;
		for (const [from, to] of this.#bands) {
			if (ms <= from) running += 1;
			else if (ms < to) running += (to - ms) / (to - from);
		}
		return running / this.#bands.length;
	}

	/** How many past renders it is made of. */
	get size(): number {
		return this.#bands.length;
	}

	/** Before this, no render seen would have finished. */
	get earliestMs(): number {
		let earliest = Number.POSITIVE_INFINITY;
		for (const [from] of this.#bands) earliest = Math.min(earliest, from);
		return Number.isFinite(earliest) ? earliest : 0;
	}

	/** Past this, the render outlasts every one seen. */
	get longestMs(): number {
		let longest = 0;
		for (const [, to] of this.#bands) longest = Math.max(longest, to);
		return longest;
	}
}

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
		const known = await this.#closestSamples(resolution, duration, false);
		return known ? median(known.samples) : COLD_START_SECONDS;
	}

	/**
	 * What the poller aims at: the renders of these settings, else of the nearest duration rescaled (then of any
	 * resolution), else a wide prior.
	 */
	async distribution(resolution: Resolution, duration: number): Promise<RenderTimeDistribution> {
		const known = await this.#closestSamples(resolution, duration, true);
		if (!known) return new RenderTimeDistribution(COLD_START_PRIOR_SECONDS, COLD_START_SPREAD, false);
		const spread = Math.max(SPREAD_MIN, SPREAD_ONE_SAMPLE / Math.sqrt(known.samples.length));
		return new RenderTimeDistribution(known.samples, known.own ? spread : Math.max(NEIGHBOUR_SPREAD_MIN, spread), true);
	}

	async #closestSamples(
		resolution: Resolution,
		duration: number,
		anyResolution: boolean,
	): Promise<{ samples: number[]; own: boolean } | undefined> {
		const position = RESOLUTIONS.indexOf(resolution);
		const resolutions = anyResolution
			? [...RESOLUTIONS].sort(
					(a, b) => Math.abs(RESOLUTIONS.indexOf(a) - position) - Math.abs(RESOLUTIONS.indexOf(b) - position),
				)
			: [resolution];
		for (const candidate of resolutions) {
			for (let distance = 0; distance <= 14; distance += 1) {
				for (const neighbour of distance === 0 ? [duration] : [duration - distance, duration + distance]) {
					if (neighbour < 1 || neighbour > 15) continue;
					const samples = await this.#samples(estimateKey(candidate, neighbour));
					if (samples.length === 0) continue;
					const own = candidate === resolution && distance === 0;
					return { samples: own ? samples : samples.map((seconds) => (seconds * duration) / neighbour), own };
				}
			}
		}
		return undefined;
	}

	async #samples(key: string): Promise<number[]> {
		const cached = this.#cache.get(key);
		if (cached) return cached;
		// Estimates only steer polling: a damaged record counts as none, and the next finished job overwrites it.
		const parsed = samplesSchema.safeParse((await this.keyv.get(key)) ?? []);
		const stored = parsed.success ? parsed.data : [];
		this.#cache.set(key, stored);
		return stored;
	}
}

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
