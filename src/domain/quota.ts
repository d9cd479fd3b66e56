import type { Resolution } from './video.js';

export const QUOTA_PERIODS = ['day', 'week', 'month'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

export interface CreditWeights {
	resolution: Readonly<Record<Resolution, number>>;
	audioFactor: number;
}

/** Follows resellers' price per second of PixVerse v6, relative to 360p. */
export const DEFAULT_CREDIT_WEIGHTS: Readonly<CreditWeights> = Object.freeze({
	resolution: Object.freeze({ '360p': 1, '540p': 1.4, '720p': 1.8, '1080p': 3.6 }),
	audioFactor: 1.3,
});
