import Keyv from 'keyv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/ops/logger.js';
import { nextPollDelay, resumedPollDelay } from '../src/video/polling/poll-schedule.js';
import { Poller } from '../src/video/polling/poller.js';
import { RenderEstimates, RenderTimeDistribution } from '../src/video/polling/render-estimates.js';

const MIN = 2_000;
const MAX = 20_000;
const seconds = (...values: number[]) => values;

/** Fifty renders spread evenly from 55 s to 65 s after submit. */
const aroundOneMinute = new RenderTimeDistribution(
	Array.from({ length: 50 }, (_, index) => 55 + index * 0.2),
	0.04,
	true,
);

describe('when the poller looks at a task again', () => {
	it('skips ahead, at most the longest interval at a time, while no render of this kind would have finished', () => {
		expect(nextPollDelay(2_000, aroundOneMinute, MIN, MAX)).toBe(MAX);
		const delay = nextPollDelay(40_000, aroundOneMinute, MIN, MAX);
		expect(delay).toBeGreaterThan(MIN);
		expect(40_000 + delay).toBeLessThanOrEqual(aroundOneMinute.earliestMs + MIN);
	});

	it('polls at the shortest interval across the window where past renders finished', () => {
		for (const elapsed of [54_000, 58_000, 62_000]) expect(nextPollDelay(elapsed, aroundOneMinute, MIN, MAX)).toBe(MIN);
	});

	it('backs off the longer a render outlasts every one seen, never past the longest interval', () => {
		const shortOverrun = nextPollDelay(90_000, aroundOneMinute, MIN, MAX);
		const longOverrun = nextPollDelay(150_000, aroundOneMinute, MIN, MAX);
		expect(longOverrun).toBeGreaterThan(shortOverrun);
		expect(nextPollDelay(900_000, aroundOneMinute, MIN, MAX)).toBe(MAX);
	});

	it('from a cold start, waits for the earliest plausible finish, then polls more sparsely than once renders are seen', () => {
		const cold = new RenderTimeDistribution(seconds(20, 60, 200), 0.15, false);
		expect(2_000 + nextPollDelay(2_000, cold, MIN, MAX)).toBe(cold.earliestMs);
		const firstSeen = new RenderTimeDistribution(seconds(31), 0.35, true);
		for (const elapsed of [30_000, 120_000]) {
			expect(nextPollDelay(elapsed, cold, MIN, MAX)).toBeGreaterThan(2 * MIN);
			expect(nextPollDelay(elapsed, cold, MIN, MAX)).toBeLessThan(MAX);
		}
		expect(nextPollDelay(30_000, firstSeen, MIN, MAX)).toBe(MIN);
	});

	it('polls a job among the few renders finished so far (the head of a burst) densely, and less once it outlasts them', () => {
		const firstOfBurst = new RenderTimeDistribution(seconds(31, 33, 34), 0.2, true);
		expect(nextPollDelay(45_000, firstOfBurst, MIN, MAX)).toBe(MIN);
		expect(nextPollDelay(90_000, firstOfBurst, MIN, MAX)).toBe(2 * MIN);
	});

	it('keeps polling densely past a thin history (the fastest of a burst), up to twice its longest render', () => {
		const burstsFastest = new RenderTimeDistribution(
			Array.from({ length: 12 }, (_, index) => 31 + index),
			0.1,
			true,
		);
		expect(nextPollDelay(70_000, burstsFastest, MIN, MAX)).toBe(MIN);
		expect(nextPollDelay(100_000, burstsFastest, MIN, MAX)).toBeGreaterThan(MIN);
		expect(nextPollDelay(90_000, aroundOneMinute, MIN, MAX)).toBeGreaterThan(MIN);
	});

	it('does not start polling densely for a lone early render: the first few per cent to finish wait a little longer', () => {
		const oneEarly = new RenderTimeDistribution(
			[30, ...Array.from({ length: 49 }, (_, index) => 60 + index * 0.1)],
			0.04,
			true,
		);
		expect(nextPollDelay(25_000, oneEarly, MIN, MAX)).toBe(MAX);
		expect(nextPollDelay(56_000, oneEarly, MIN, MAX)).toBe(MIN);
	});

	it('never answers outside the configured bounds', () => {
		const few = new RenderTimeDistribution(seconds(3, 4), 0.35, true);
		for (let elapsed = 0; elapsed < 1_000_000; elapsed += 7_919) {
			for (const renders of [aroundOneMinute, few]) {
				const delay = nextPollDelay(elapsed, renders, MIN, MAX);
				expect(delay).toBeGreaterThanOrEqual(MIN);
				expect(delay).toBeLessThanOrEqual(MAX);
			}
		}
	});
});

describe('where a restarted bot first looks', () => {
	it('at once for a render whose finish is already likely: it may have come while the bot was down', () => {
		expect(resumedPollDelay(58_000, aroundOneMinute, MIN, MAX)).toBe(0);
		expect(resumedPollDelay(900_000, aroundOneMinute, MIN, MAX)).toBe(0);
	});

	it('later for a render far from done, where its finish becomes likely, at most the longest interval ahead', () => {
		const delay = resumedPollDelay(45_000, aroundOneMinute, MIN, MAX);
		expect(delay).toBeGreaterThan(MIN);
		expect(45_000 + delay).toBeLessThanOrEqual(aroundOneMinute.earliestMs + MIN);
		// The very moment a bot that never stopped would aim its next query at.
		expect(45_000 + delay).toBe(40_000 + nextPollDelay(40_000, aroundOneMinute, MIN, MAX));
		expect(resumedPollDelay(2_000, aroundOneMinute, MIN, MAX)).toBe(MAX);
	});

	it('from a cold start, at the earliest plausible finish', () => {
		const cold = new RenderTimeDistribution(seconds(20, 60, 200), 0.15, false);
		expect(resumedPollDelay(10_000, cold, MIN, MAX)).toBe(cold.earliestMs - 10_000);
		expect(resumedPollDelay(30_000, cold, MIN, MAX)).toBe(0);
	});
});

describe('what renders of one kind take, as learned', () => {
	it('is a smooth chance of still running that falls from 1 to 0 across the renders seen', () => {
		let previous = 1;
		for (let ms = 0; ms < 80_000; ms += 500) {
			const running = aroundOneMinute.survival(ms);
			expect(running).toBeLessThanOrEqual(previous);
			previous = running;
		}
		expect(aroundOneMinute.survival(50_000)).toBe(1);
		expect(aroundOneMinute.survival(70_000)).toBe(0);
	});

	it('is exactly the share of past renders still inside or before their band, between and at every band edge', () => {
		const samples = [0, 31, 33, 33, 34, 60, 200];
		const spread = 0.2;
		const renders = new RenderTimeDistribution(samples, spread, true);
		const byDefinition = (ms: number) =>
			samples.reduce((running, seconds) => {
				const [from, to] = [seconds * 1000 * (1 - spread), seconds * 1000 * (1 + spread)];
				return running + (ms <= from ? 1 : ms < to ? (to - ms) / (to - from) : 0);
			}, 0) / samples.length;
		const edges = samples.flatMap((seconds) => [seconds * 1000 * (1 - spread), seconds * 1000 * (1 + spread)]);
		for (const ms of [-1, ...edges, ...Array.from({ length: 2_500 }, (_, step) => step * 100 + 0.5)]) {
			expect(renders.survival(ms)).toBeCloseTo(byDefinition(ms), 12);
		}
	});

	it('uses the jobs with the same settings, else another duration rescaled, else another resolution, else a prior', async () => {
		const estimates = new RenderEstimates(new Keyv());
		expect((await estimates.distribution('720p', 5)).learned).toBe(false);
		await estimates.record('1080p', 10, 100);
		const otherResolution = await estimates.distribution('720p', 5);
		expect(otherResolution.learned).toBe(true);
		expect(otherResolution.survival(30_000)).toBe(1);
		expect(otherResolution.survival(60_000)).toBeGreaterThan(0);
		await estimates.record('720p', 10, 80);
		expect((await estimates.distribution('720p', 5)).survival(60_000)).toBe(0);
		await estimates.record('720p', 5, 30);
		const own = await estimates.distribution('720p', 5);
		expect(own.survival(15_000)).toBe(1);
		expect(own.survival(45_000)).toBe(0);
	});

	it('widens each past render into a band that narrows as renders accumulate', async () => {
		const estimates = new RenderEstimates(new Keyv());
		await estimates.record('540p', 5, 40);
		const one = await estimates.distribution('540p', 5);
		for (let i = 0; i < 24; i++) await estimates.record('540p', 5, 40);
		const many = await estimates.distribution('540p', 5);
		expect(many.spread).toBeLessThan(one.spread);
		expect(many.longestMs - many.earliestMs).toBeLessThan(one.longestMs - one.earliestMs);
	});
});

describe('the fixed-interval baseline', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('polls every job on its own fixed timer, whatever each poll planned', async () => {
		vi.useFakeTimers();
		const polled: string[] = [];
		const poller = new Poller(
			{ queriesPerSecond: 100, fixedIntervalMs: 5_000 },
			createLogger({ level: 'silent', secrets: [] }),
		);
		poller.start(async ({ jobId }) => {
			polled.push(jobId);
			return { nextPollInMs: 60_000 };
		});
		poller.track({ jobId: 'a', taskId: 'task-a' }, Date.now());
		await vi.advanceTimersByTimeAsync(4_900);
		expect(polled).toEqual([]);
		await vi.advanceTimersByTimeAsync(20_200);
		expect(polled).toEqual(['a', 'a', 'a', 'a', 'a']);
		await poller.stop();
	});
});
