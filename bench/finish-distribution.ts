import type { RenderModel } from './flags.js';
import {
	BY_SETTINGS_FACTOR,
	type JobSpec,
	QUEUE_MS,
	RENDER_SECONDS_PER_VIDEO_SECOND,
	SETTINGS,
	TAIL,
	UNIFORM_RENDER_MS,
} from './workload.js';

interface Range {
	from: number;
	to: number;
}

/** The true chance that a job is done `ms` after submit, and the moment by which every job of the kind is. */
export interface FinishDistribution {
	cdf: (ms: number) => number;
	endMs: number;
}

/** One kind of job the oracle knows apart, and its share of the workload. */
export interface JobKind {
	share: number;
	finish: FinishDistribution;
}

/** ∫ clamp(x, 0, 1) dx, from 0: what integrating a uniform's CDF over another uniform comes down to. */
function rampIntegral(x: number): number {
	if (x <= 0) return 0;
	return x < 1 ? (x * x) / 2 : x - 0.5;
}

/** P(queue + render ≤ ms) for a queue and a render uniform over their ranges, exactly. */
function sumOfUniformsCdf(queue: Range, render: Range, ms: number): number {
	const width = render.to - render.from;
	const start = (ms - queue.from - render.from) / width;
	if (queue.to === queue.from) return Math.min(1, Math.max(0, start));
	const end = (ms - queue.to - render.from) / width;
	return ((rampIntegral(start) - rampIntegral(end)) * width) / (queue.to - queue.from);
}

/** The generator of bench/workload.ts as a distribution: a queue, then a core render or (rarely) a tail one. */
function finishDistribution(core: Range): FinishDistribution {
	const queue = QUEUE_MS;
	return {
		cdf: (ms) => (1 - TAIL.share) * sumOfUniformsCdf(queue, core, ms) + TAIL.share * sumOfUniformsCdf(queue, TAIL, ms),
		endMs: queue.to + Math.max(core.to, TAIL.to),
	};
}

function coreRender(model: RenderModel, settings: Pick<JobSpec, 'resolution' | 'duration'>): Range {
	if (model === 'uniform') return UNIFORM_RENDER_MS;
	const ms = RENDER_SECONDS_PER_VIDEO_SECOND[settings.resolution] * settings.duration * 1000;
	return { from: ms * BY_SETTINGS_FACTOR.from, to: ms * BY_SETTINGS_FACTOR.to };
}

/** What an oracle knows of one job: the true distribution its finish was drawn from. */
export function trueFinish(model: RenderModel, job: Pick<JobSpec, 'resolution' | 'duration'>): FinishDistribution {
	return finishDistribution(coreRender(model, job));
}

/** Every kind of job the workload draws, each as likely as another. */
export function jobKinds(model: RenderModel): JobKind[] {
	const kinds = model === 'uniform' ? [SETTINGS[0]] : SETTINGS;
	return kinds.map((settings) => ({ share: 1 / kinds.length, finish: trueFinish(model, settings) }));
}
