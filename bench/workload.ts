import type { RenderModel } from './flags.js';

/** A small seeded generator (mulberry32), so the baseline and the adaptive bot get the very same workload. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

export interface JobSpec {
	index: number;
	resolution: '540p' | '720p' | '1080p';
	duration: 5 | 10;
	queueMs: number;
	renderMs: number;
}

const SETTINGS = [
	{ resolution: '540p', duration: 5 },
	{ resolution: '720p', duration: 5 },
	{ resolution: '1080p', duration: 5 },
	{ resolution: '540p', duration: 10 },
	{ resolution: '720p', duration: 10 },
	{ resolution: '1080p', duration: 10 },
] as const;

/** Render seconds per second of video, for the `by-settings` model: 35 s for 5 s at 540p up to 120 s for 10 s at 1080p. */
const RENDER_SECONDS_PER_VIDEO_SECOND = { '540p': 7, '720p': 9.5, '1080p': 12 } as const;

export const DISTRIBUTION_NOTE: Record<RenderModel, string> = {
	uniform: 'queue U(0,20) s; render U(30,120) s whatever the settings; 5 % tail U(120,220) s',
	'by-settings':
		'queue U(0,20) s; render = (7|9.5|12 s per video second at 540p|720p|1080p) x U(0.9,1.1), 5 s or 10 s videos (31-132 s); 5 % tail U(120,220) s',
};

/**
 * The stated distribution. The tail stops at 220 s of render so that no job outlives 4 minutes, which keeps the
 * default run under 5 minutes of wall time without compressing time.
 */
export function makeJobs(count: number, model: RenderModel, seed: number): JobSpec[] {
	const random = seededRandom(seed);
	return Array.from({ length: count }, (_, index) => {
		const settings = SETTINGS[Math.floor(random() * SETTINGS.length)] ?? SETTINGS[0];
		const queueMs = random() * 20_000;
		const tail = random() < 0.05;
		const core =
			model === 'uniform'
				? 30_000 + random() * 90_000
				: RENDER_SECONDS_PER_VIDEO_SECOND[settings.resolution] * settings.duration * 1000 * (0.9 + 0.2 * random());
		const renderMs = tail ? 120_000 + random() * 100_000 : core;
		return { index, ...settings, queueMs, renderMs };
	});
}

/** The prompt carries the job's index, so the stand-in can give each task its planned times whatever order they arrive in. */
export const promptFor = (index: number) => `bench job #${index}: a lighthouse in a storm`;

export function indexFromPrompt(prompt: string): number {
	const match = /^bench job #(\d+):/.exec(prompt);
	if (!match) throw new Error(`not a benchmark prompt: ${prompt}`);
	return Number(match[1]);
}
