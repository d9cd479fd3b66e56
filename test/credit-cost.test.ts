import { describe, expect, it } from 'vitest';
import { type CreditWeights, DEFAULT_CREDIT_WEIGHTS } from '../src/domain/quota.js';
import { RESOLUTIONS } from '../src/domain/video.js';
import { jobCost } from '../src/quota/limits/cost.js';

const DURATIONS = Array.from({ length: 15 }, (_, index) => index + 1);

/** The same price in whole thousandths, where no binary rounding can creep in. */
function costInThousandths(duration: number, weightThousandths: number, audioFactorThousandths: number): number {
	const millionths = duration * weightThousandths * audioFactorThousandths;
	return Math.floor((millionths + 999_999) / 1_000_000);
}

describe('the cost of a job in credits', () => {
	it.each([
		{ resolution: '360p', duration: 5, audio: false, cost: 5 },
		{ resolution: '540p', duration: 5, audio: false, cost: 7 },
		{ resolution: '540p', duration: 3, audio: false, cost: 5 },
		{ resolution: '540p', duration: 15, audio: false, cost: 21 },
		{ resolution: '540p', duration: 10, audio: true, cost: 19 },
		{ resolution: '720p', duration: 5, audio: false, cost: 9 },
		{ resolution: '720p', duration: 10, audio: true, cost: 24 },
		{ resolution: '720p', duration: 5, audio: true, cost: 12 },
		{ resolution: '1080p', duration: 15, audio: false, cost: 54 },
		{ resolution: '1080p', duration: 15, audio: true, cost: 71 },
		{ resolution: '360p', duration: 1, audio: true, cost: 2 },
		{ resolution: '360p', duration: 10, audio: true, cost: 13 },
	] as const)('$resolution for $duration s (audio $audio) costs $cost', ({ cost, ...settings }) => {
		expect(jobCost(settings, DEFAULT_CREDIT_WEIGHTS)).toBe(cost);
	});

	it('matches exact arithmetic for every default resolution, duration and audio setting', () => {
		const thousandths = { '360p': 1000, '540p': 1400, '720p': 1800, '1080p': 3600 } as const;
		for (const resolution of RESOLUTIONS) {
			for (const duration of DURATIONS) {
				for (const audio of [false, true]) {
					const expected = costInThousandths(duration, thousandths[resolution], audio ? 1300 : 1000);
					expect(jobCost({ resolution, duration, audio }, DEFAULT_CREDIT_WEIGHTS), `${resolution} ${duration}s`).toBe(
						expected,
					);
				}
			}
		}
	});

	it.each([
		{ duration: 12, weight: 0.1, audioFactor: 2.5, cost: 3 },
		{ duration: 6, weight: 0.8, audioFactor: 1.25, cost: 6 },
		{ duration: 10, weight: 0.92, audioFactor: 2.5, cost: 23 },
		{ duration: 15, weight: 2.5, audioFactor: 1.12, cost: 42 },
		{ duration: 10, weight: 5, audioFactor: 1.1, cost: 55 },
		{ duration: 15, weight: 5, audioFactor: 2.72, cost: 204 },
	])(
		'charges exactly $cost for $duration s × $weight × $audioFactor, where floats land just above',
		({ duration, weight, audioFactor, cost }) => {
			expect(duration * weight * audioFactor).toBeGreaterThan(cost);
			const weights: CreditWeights = { resolution: { '360p': weight, '540p': 1, '720p': 1, '1080p': 1 }, audioFactor };
			expect(jobCost({ resolution: '360p', duration, audio: true }, weights)).toBe(cost);
		},
	);

	it('matches exact arithmetic for every operator weight and audio factor in hundredths', () => {
		const mismatches: string[] = [];
		for (let weightHundredths = 1; weightHundredths <= 500; weightHundredths++) {
			for (let factorHundredths = 100; factorHundredths <= 300; factorHundredths++) {
				const weights: CreditWeights = {
					resolution: { '360p': weightHundredths / 100, '540p': 1, '720p': 1, '1080p': 1 },
					audioFactor: factorHundredths / 100,
				};
				for (const duration of DURATIONS) {
					const expected = costInThousandths(duration, weightHundredths * 10, factorHundredths * 10);
					const actual = jobCost({ resolution: '360p', duration, audio: true }, weights);
					if (actual !== expected)
						mismatches.push(`${duration}s × ${weights.resolution['360p']} × ${weights.audioFactor}`);
				}
			}
		}
		expect(mismatches).toEqual([]);
	});

	it('ignores the audio factor when audio is off', () => {
		const weights: CreditWeights = { ...DEFAULT_CREDIT_WEIGHTS, audioFactor: 100 };
		expect(jobCost({ resolution: '720p', duration: 5, audio: false }, weights)).toBe(9);
	});

	it('follows weights the operator changed', () => {
		const weights: CreditWeights = {
			resolution: { ...DEFAULT_CREDIT_WEIGHTS.resolution, '1080p': 5 },
			audioFactor: 2,
		};
		expect(jobCost({ resolution: '1080p', duration: 4, audio: true }, weights)).toBe(40);
	});

	it('keeps the default weights from being changed at run time', () => {
		expect(Object.isFrozen(DEFAULT_CREDIT_WEIGHTS)).toBe(true);
		expect(Object.isFrozen(DEFAULT_CREDIT_WEIGHTS.resolution)).toBe(true);
	});
});
