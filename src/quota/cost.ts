import type { Resolution } from '../domain/video.js';

export interface CreditWeights {
	resolution: Readonly<Record<Resolution, number>>;
	audioFactor: number;
}

/** Follows resellers' price per second of PixVerse v6, relative to 360p. */
export const DEFAULT_CREDIT_WEIGHTS: Readonly<CreditWeights> = Object.freeze({
	resolution: Object.freeze({ '360p': 1, '540p': 1.4, '720p': 1.8, '1080p': 3.6 }),
	audioFactor: 1.3,
});

// Rounding to a millionth first keeps binary noise (5 × 1.4 = 7.000000000000001) from costing an extra credit.
const NOISE_FREE_STEPS = 1_000_000;

export function jobCost(
	settings: { resolution: Resolution; duration: number; audio: boolean },
	weights: CreditWeights,
): number {
	const exact =
		settings.duration * weights.resolution[settings.resolution] * (settings.audio ? weights.audioFactor : 1);
	return Math.ceil(Math.round(exact * NOISE_FREE_STEPS) / NOISE_FREE_STEPS);
}
