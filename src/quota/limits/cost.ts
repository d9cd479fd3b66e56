import type { CreditWeights } from '../../domain/quota.js';
import type { Resolution } from '../../domain/video.js';

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
