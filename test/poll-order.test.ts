import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/ops/logger.js';
import {
	expectedUnseenMs,
	type FinishForecast,
	nextToPoll,
	type PlannedPoll,
} from '../src/video/polling/poll-order.js';
import { Poller, type QueryPermits } from '../src/video/polling/poller.js';

const T0 = 1_800_000_000_000;
const S = 1_000;
/** The task each test job stands for: the poller hands it back with the job, so the query needs no read first. */
const taskOf = (jobId: string) => ({ jobId, taskId: `task of ${jobId}` });

/** A render certain to finish between `from` and `to` ms after T0, any moment as likely as another. */
const finishingBetween =
	(from: number, to: number): FinishForecast =>
	(at) =>
		Math.min(1, Math.max(0, (at - T0 - from) / (to - from)));

describe('how long a finished video may have waited unseen', () => {
	it('is nothing while the forecast says the render cannot be done yet', () => {
		const poll: PlannedPoll = { dueAt: T0, runningAt: T0, forecast: finishingBetween(60 * S, 90 * S) };
		expect(expectedUnseenMs(poll, T0 + 50 * S)).toBe(0);
	});

	it('grows with the chance of a finish since the job was last seen running, and with the time since', () => {
		const forecast = finishingBetween(0, 100 * S);
		const justAsked = expectedUnseenMs({ dueAt: T0, runningAt: T0 + 40 * S, forecast }, T0 + 50 * S);
		const longAgo = expectedUnseenMs({ dueAt: T0, runningAt: T0 + 10 * S, forecast }, T0 + 50 * S);
		expect(justAsked).toBeGreaterThan(0);
		expect(longAgo).toBeGreaterThan(justAsked);
		const likelier = expectedUnseenMs(
			{ dueAt: T0, runningAt: T0 + 40 * S, forecast: finishingBetween(0, 50 * S) },
			T0 + 50 * S,
		);
		expect(likelier).toBeGreaterThan(justAsked);
	});

	it('counts a job with no forecast, or past every render learned, as finished the moment it was last seen', () => {
		expect(expectedUnseenMs({ dueAt: T0, runningAt: T0 }, T0 + 30 * S)).toBe(30 * S);
		const outlasted = { dueAt: T0, runningAt: T0 + 200 * S, forecast: finishingBetween(60 * S, 90 * S) };
		expect(expectedUnseenMs(outlasted, T0 + 230 * S)).toBe(30 * S);
	});
});

describe('which due job the poller asks about next', () => {
	it('the one whose video has most likely waited longest, not the one due longest', () => {
		const polls: Array<[string, PlannedPoll]> = [
			['due long ago, far from done', { dueAt: T0, runningAt: T0, forecast: finishingBetween(300 * S, 400 * S) }],
			['due just now, likely done', { dueAt: T0 + 59 * S, runningAt: T0, forecast: finishingBetween(20 * S, 40 * S) }],
		];
		expect(nextToPoll(polls, T0 + 60 * S, new Set())).toBe('due just now, likely done');
	});

	it('never one that is not due, or already being asked about', () => {
		const likelyDone = { dueAt: T0, runningAt: T0, forecast: finishingBetween(0, 10 * S) };
		const polls: Array<[string, PlannedPoll]> = [
			['not due yet', { ...likelyDone, dueAt: T0 + 90 * S }],
			['in flight', likelyDone],
			['due', { dueAt: T0 + 50 * S, runningAt: T0 + 50 * S, forecast: finishingBetween(0, 100 * S) }],
		];
		expect(nextToPoll(polls, T0 + 60 * S, new Set(['in flight']))).toBe('due');
		expect(nextToPoll(polls, T0 + 40 * S, new Set(['in flight']))).toBeUndefined();
	});

	it('between equal chances, the most overdue', () => {
		const forecast = finishingBetween(300 * S, 400 * S);
		const polls: Array<[string, PlannedPoll]> = [
			['due later', { dueAt: T0 + 20 * S, runningAt: T0, forecast }],
			['due first', { dueAt: T0 + 10 * S, runningAt: T0, forecast }],
		];
		expect(nextToPoll(polls, T0 + 60 * S, new Set())).toBe('due first');
	});
});

describe('the poller under a budget that binds', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('spends each query on the job most likely finished and waiting, asking once for the forecast of a job tracked without one', async () => {
		vi.useFakeTimers({ now: T0 });
		const forecasts: Record<string, FinishForecast> = {
			'far from done': finishingBetween(300 * S, 400 * S),
			'likely done': finishingBetween(10 * S, 20 * S),
			'may be done': finishingBetween(10 * S, 120 * S),
		};
		const asked: string[] = [];
		const forecastsAsked: string[] = [];
		const poller = new Poller({ queriesPerSecond: 0.5 }, createLogger({ level: 'silent', secrets: [] }), Date.now);
		poller.track(taskOf('far from done'), T0 + 30 * S, forecasts['far from done']);
		for (const jobId of ['likely done', 'may be done']) poller.track(taskOf(jobId), T0 + 30 * S);
		poller.start(
			async ({ jobId, taskId }) => {
				expect(taskId).toBe(taskOf(jobId).taskId);
				asked.push(jobId);
				return { nextPollInMs: 600 * S };
			},
			async (jobId) => {
				forecastsAsked.push(jobId);
				return forecasts[jobId];
			},
		);
		await vi.advanceTimersByTimeAsync(36 * S);
		expect(asked).toEqual(['likely done', 'may be done', 'far from done']);
		expect(forecastsAsked.sort()).toEqual(['likely done', 'may be done']);
		await poller.stop();
	});

	it('sends no query until the shared budget grants a permit, and spends the permit on the job heading the order then', async () => {
		vi.useFakeTimers({ now: T0 });
		const permitsAskedAt: number[] = [];
		const permits: QueryPermits = {
			async take() {
				permitsAskedAt.push(Date.now() - T0);
				return permitsAskedAt.length === 1 ? { retryInMs: 3 * S } : { granted: true };
			},
			async hold() {
				throw new Error('no pause was asked for');
			},
		};
		const asked: string[] = [];
		const poller = new Poller({ queriesPerSecond: 100, permits }, createLogger({ level: 'silent', secrets: [] }));
		poller.track(taskOf('far from done'), T0 + S, finishingBetween(300 * S, 400 * S));
		poller.track(taskOf('likely done'), T0 + 2 * S, finishingBetween(0, 3 * S));
		poller.start(async ({ jobId, taskId }) => {
			expect(taskId).toBe(taskOf(jobId).taskId);
			asked.push(jobId);
			return { nextPollInMs: 600 * S };
		});
		await vi.advanceTimersByTimeAsync(3.9 * S);
		expect(asked).toEqual([]);
		await vi.advanceTimersByTimeAsync(0.2 * S);
		// The next job's permit is asked for once the in-process spacing (11 ms at 100 queries per second) allows it.
		expect(permitsAskedAt).toEqual([S, 4 * S, 4 * S + 11]);
		expect(asked).toEqual(['likely done', 'far from done']);
		await poller.stop();
	});

	it('passes a pause the provider asked for on to the shared budget, so every process on the API key holds it', async () => {
		vi.useFakeTimers({ now: T0 });
		const holds: number[] = [];
		const permits: QueryPermits = {
			async take() {
				return { granted: true };
			},
			async hold(forMs) {
				holds.push(forMs);
			},
		};
		const asked: number[] = [];
		const poller = new Poller({ queriesPerSecond: 100, permits }, createLogger({ level: 'silent', secrets: [] }));
		poller.track(taskOf('told to wait'), T0, finishingBetween(0, 3 * S));
		poller.start(async () => {
			asked.push(Date.now() - T0);
			return asked.length === 1 ? { nextPollInMs: S, pauseAllForMs: 7 * S } : { done: true };
		});
		await vi.advanceTimersByTimeAsync(10 * S);
		expect(holds).toEqual([7 * S]);
		expect(asked).toEqual([0, 7 * S]);
		await poller.stop();
	});
});
