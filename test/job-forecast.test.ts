import Keyv from 'keyv';
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '../src/domain/job.js';
import { JobForecast } from '../src/video/jobs/job-forecast.js';
import { RenderEstimates } from '../src/video/polling/render-estimates.js';

const T0 = 1_800_000_000_000;
const MIN = 2_000;
const MAX = 20_000;

const submittedAt = (ms: number) =>
	({ id: 'job', settings: { resolution: '720p', duration: 5 }, createdAt: ms, submittedAt: ms }) as unknown as Job;

async function learned(seconds: number, times = 20): Promise<RenderEstimates> {
	const estimates = new RenderEstimates(new Keyv());
	for (let sample = 0; sample < times; sample++) await estimates.record('720p', 5, seconds);
	return estimates;
}

describe("a job's forecast", () => {
	it('reads its kind of render from when it was submitted, and follows what is learned after it was made', async () => {
		const estimates = await learned(60);
		const job = submittedAt(T0);
		const forecasts = new JobForecast({
			store: { get: async () => job },
			estimates,
			intervals: { minMs: MIN, maxMs: MAX },
			now: () => T0,
		});
		const forecast = await forecasts.forecast('job');
		expect(forecast?.(T0 + 40_000)).toBe(0);
		expect(forecast?.(T0 + 80_000)).toBe(1);

		for (let sample = 0; sample < 50; sample++) await estimates.record('720p', 5, 30);
		await vi.waitFor(() => expect(forecast?.(T0 + 40_000)).toBe(1));
	});

	it('after a restart aims the first query at once where a finish is likely, later where it is not yet', async () => {
		const estimates = await learned(60);
		const now = T0 + 58_000;
		const forecasts = new JobForecast({
			store: { get: async () => undefined },
			estimates,
			intervals: { minMs: MIN, maxMs: MAX },
			now: () => now,
		});
		const likely = await forecasts.resumed(submittedAt(T0));
		expect(likely.firstPollAt).toBe(now);
		expect(likely.forecast(now)).toBeGreaterThan(0);
		const young = await forecasts.resumed(submittedAt(T0 + 50_000));
		expect(young.firstPollAt).toBe(now + MAX);
		expect(await forecasts.forecast('gone')).toBeUndefined();
	});
});
