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
	readonly size: number;
	/** Before this, no render seen would have finished. */
	readonly earliestMs: number;
	/** Past this, the render outlasts every one seen. */
	readonly longestMs: number;
	/**
	 * The share still running is linear between band edges, so it is kept as its value at each edge (and just after
	 * it, where a band of no width steps down): the poller reads it for every open job on every tick, and a binary
	 * search over the edges costs a few steps where summing the bands cost one per past render.
	 */
	readonly #edges: Float64Array;
	readonly #runningAt: Float64Array;
	readonly #runningAfter: Float64Array;

	constructor(
		samplesSeconds: readonly number[],
		readonly spread: number,
		/** False when nothing finished yet: a cold start. */
		readonly learned: boolean,
	) {
		const bands = samplesSeconds.map(
			(seconds) => [seconds * 1000 * (1 - spread), seconds * 1000 * (1 + spread)] as const,
		);
		this.size = bands.length;
		this.#edges = Float64Array.from(new Set(bands.flat())).sort();
		const share = (inBand: (from: number, to: number) => number) =>
			bands.reduce((running, [from, to]) => running + inBand(from, to), 0) / Math.max(1, bands.length);
		this.#runningAt = this.#edges.map((edge) =>
			share((from, to) => (edge <= from ? 1 : edge < to ? (to - edge) / (to - from) : 0)),
		);
		this.#runningAfter = this.#edges.map((edge) =>
			share((from, to) => (edge < from ? 1 : edge < to ? (to - edge) / (to - from) : 0)),
		);
		this.earliestMs = this.#edges[0] ?? 0;
		this.longestMs = this.#edges[this.#edges.length - 1] ?? 0;
	}

	/** The chance that a render is still running `ms` after submit. */
	survival(ms: number): number {
		const edges = this.#edges;
		if (edges.length === 0 || ms > this.longestMs) return 0;
		if (ms <= this.earliestMs) return 1;
		let below = 0;
		let above = edges.length - 1;
		while (above - below > 1) {
			const middle = (below + above) >> 1;
			if ((edges[middle] ?? 0) < ms) below = middle;
			else above = middle;
		}
		const from = edges[below] ?? 0;
		const to = edges[above] ?? 0;
		const runningTo = this.#runningAt[above] ?? 0;
		if (ms === to) return runningTo;
		const runningFrom = this.#runningAfter[below] ?? 0;
		return runningFrom + ((runningTo - runningFrom) * (ms - from)) / (to - from);
	}
}

/** Learns how long renders take, by resolution and duration, from the jobs that finished. */
export class RenderEstimates {
	readonly #cache = new Map<string, number[]>();
	/** Built once per kind and shared by every job of it, until a render is learned. */
	readonly #distributions = new Map<string, Promise<RenderTimeDistribution>>();
	#learned = 0;

	constructor(private readonly keyv: Keyv) {}

	/** Counts the renders learned: when it moves, a distribution read before may be out of date. */
	get learnedCount(): number {
		return this.#learned;
	}

	async record(resolution: Resolution, duration: number, seconds: number): Promise<void> {
		const key = estimateKey(resolution, duration);
		const samples = [...(await this.#samples(key)), seconds].slice(-SAMPLES_KEPT);
		this.#cache.set(key, samples);
		// Any kind may borrow this one's renders, so every distribution is rebuilt.
		this.#distributions.clear();
		this.#learned += 1;
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
	distribution(resolution: Resolution, duration: number): Promise<RenderTimeDistribution> {
		const key = estimateKey(resolution, duration);
		const known = this.#distributions.get(key);
		if (known) return known;
		// Kept as a promise, so that every open job asking at once shares one build.
		const building = this.#build(resolution, duration);
		this.#distributions.set(key, building);
		building.catch(() => {
			if (this.#distributions.get(key) === building) this.#distributions.delete(key);
		});
		return building;
	}

	async #build(resolution: Resolution, duration: number): Promise<RenderTimeDistribution> {
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
