import Keyv from 'keyv';
import { expectedUnseenMs, nextToPoll, type PlannedPoll } from '../src/video/polling/poll-order.js';
import { nextPollDelay, resumedPollDelay } from '../src/video/polling/poll-schedule.js';
import { querySpacingMs } from '../src/video/polling/poller.js';
import { RenderEstimates, type RenderTimeDistribution } from '../src/video/polling/render-estimates.js';
import type { FinishDistribution } from './finish-distribution.js';
import { type JobSpec, SETTINGS } from './workload.js';

/** A planned job and when, in the simulation's time, it is submitted. */
export interface TimedJob extends JobSpec {
	submitAt: number;
}

export interface SimulatedRun {
	/** Finish → the query that saw it, per job, in ms. */
	detections: number[];
	queries: number;
	queriesPerJob: number;
}

export interface PollerSettings {
	minMs: number;
	maxMs: number;
	queriesPerSecond: number;
	/** The baseline: every job on its own timer. */
	fixedIntervalMs?: number;
	/** Renders the bot has seen before the run: none is a cold start. */
	history: JobSpec[];
	/** The bot stops at `at` and is polling again `downMs` later, its poller's memory gone, its store kept. */
	restart?: { at: number; downMs: number };
}

const finishAt = (job: TimedJob) => job.submitAt + job.queueMs + job.renderMs;
/** The provider reports whole seconds since the epoch; any fixed epoch gives the same rounding the bot learns from. */
const EPOCH_MS = 1_767_225_600_123;
const providerSeconds = (job: TimedJob) =>
	Math.floor((EPOCH_MS + finishAt(job)) / 1000) - Math.floor((EPOCH_MS + job.submitAt) / 1000);

/**
 * The bot's own poller in simulated time: the real `nextPollDelay`, the real ordering (`nextToPoll`), the real
 * `RenderEstimates` learning from each finish, forecasts that follow it as JobForecast's do, the first query `minMs`
 * after submit as JobService makes it, and the budget's spacing. Queries take no time and the provider answers
 * exactly; what is left out is the network.
 */
export async function simulatePoller(jobs: TimedJob[], settings: PollerSettings): Promise<SimulatedRun> {
	const { minMs, maxMs, fixedIntervalMs } = settings;
	const estimates = new RenderEstimates(new Keyv());
	const kindOf = (job: Pick<JobSpec, 'resolution' | 'duration'>) => `${job.resolution} ${job.duration}`;
	const latest = new Map<string, RenderTimeDistribution>();
	const learn = async () => {
		for (const kind of SETTINGS) latest.set(kindOf(kind), await estimates.distribution(kind.resolution, kind.duration));
	};
	for (const past of settings.history) {
		await estimates.record(past.resolution, past.duration, Math.round((past.queueMs + past.renderMs) / 1000));
	}
	await learn();
	const spacingMs = querySpacingMs(settings.queriesPerSecond);
	const waiting = [...jobs].sort((a, b) => a.submitAt - b.submitAt);
	const byId = new Map(jobs.map((job) => [String(job.index), job]));
	const polls = new Map<string, PlannedPoll>();
	const detections: number[] = [];
	let queries = 0;
	let lastStartAt = Number.NEGATIVE_INFINITY;
	let restart = settings.restart;
	const forecastOf = (job: TimedJob) => (at: number) =>
		1 - (latest.get(kindOf(job)) as RenderTimeDistribution).survival(at - job.submitAt);

	while (waiting.length > 0 || polls.size > 0) {
		let earliestDue = Number.POSITIVE_INFINITY;
		for (const { dueAt } of polls.values()) earliestDue = Math.min(earliestDue, dueAt);
		const startAt = Math.max(earliestDue, lastStartAt + spacingMs);
		const nextSubmitAt = waiting[0]?.submitAt ?? Number.POSITIVE_INFINITY;
		if (restart && restart.at <= Math.min(startAt, nextSubmitAt)) {
			const backAt = restart.at + restart.downMs;
			for (const [id, poll] of polls) {
				const job = byId.get(id) as TimedJob;
				const renderTimes = await estimates.distribution(job.resolution, job.duration);
				const delay = resumedPollDelay(backAt - job.submitAt, renderTimes, minMs, maxMs);
				polls.set(id, { ...poll, dueAt: backAt + delay, runningAt: backAt });
			}
			lastStartAt = Math.max(lastStartAt, backAt - spacingMs);
			restart = undefined;
			continue;
		}
		if (nextSubmitAt <= startAt) {
			const job = waiting.shift() as TimedJob;
			const dueAt = job.submitAt + (fixedIntervalMs ?? minMs);
			polls.set(String(job.index), { dueAt, runningAt: job.submitAt, forecast: forecastOf(job) });
			continue;
		}
		const now = startAt;
		const id = nextToPoll(polls, now, new Set()) as string;
		const job = byId.get(id) as TimedJob;
		lastStartAt = now;
		queries++;
		if (now >= finishAt(job)) {
			detections.push(now - finishAt(job));
			polls.delete(id);
			await estimates.record(job.resolution, job.duration, providerSeconds(job));
			await learn();
			continue;
		}
		const renderTimes = await estimates.distribution(job.resolution, job.duration);
		const delay = fixedIntervalMs ?? nextPollDelay(now - job.submitAt, renderTimes, minMs, maxMs);
		polls.set(id, { ...(polls.get(id) as PlannedPoll), dueAt: now + delay, runningAt: now });
	}
	return { detections, queries, queriesPerJob: queries / Math.max(1, jobs.length) };
}

/**
 * An oracle under a budget: it knows the true distribution of every job (never its finish), and at each query the
 * budget allows asks about the job most likely to have finished since it was last asked. No first query at submit,
 * no restart, no margin on the budget.
 */
export function simulateOracleUnderBudget(
	jobs: TimedJob[],
	truth: (job: TimedJob) => FinishDistribution,
	queriesPerSecond: number,
): SimulatedRun {
	const spacingMs = 1000 / queriesPerSecond;
	const waiting = [...jobs].sort((a, b) => a.submitAt - b.submitAt);
	const open = new Map<TimedJob, PlannedPoll>();
	const detections: number[] = [];
	let queries = 0;
	let now = waiting[0]?.submitAt ?? 0;
	while (waiting.length > 0 || open.size > 0) {
		while ((waiting[0]?.submitAt ?? Number.POSITIVE_INFINITY) <= now) {
			const job = waiting.shift() as TimedJob;
			const { cdf } = truth(job);
			open.set(job, { dueAt: job.submitAt, runningAt: job.submitAt, forecast: (at) => cdf(at - job.submitAt) });
		}
		let best: TimedJob | undefined;
		let bestUnseenMs = -1;
		for (const [job, poll] of open) {
			const unseenMs = expectedUnseenMs(poll, now);
			if (unseenMs > bestUnseenMs) {
				best = job;
				bestUnseenMs = unseenMs;
			}
		}
		if (!best) {
			now = waiting[0]?.submitAt ?? now;
			continue;
		}
		queries++;
		const poll = open.get(best) as PlannedPoll;
		if (now >= finishAt(best)) {
			detections.push(now - finishAt(best));
			open.delete(best);
		} else poll.runningAt = now;
		now += spacingMs;
	}
	return { detections, queries, queriesPerJob: queries / Math.max(1, jobs.length) };
}

/** The floor no poller can beat: one query per job, exactly at its finish, queued behind the budget. */
export function clairvoyantUnderBudget(jobs: TimedJob[], queriesPerSecond: number): number[] {
	const spacingMs = 1000 / queriesPerSecond;
	let freeAt = Number.NEGATIVE_INFINITY;
	return jobs
		.map(finishAt)
		.sort((a, b) => a - b)
		.map((finish) => {
			const askedAt = Math.max(finish, freeAt);
			freeAt = askedAt + spacingMs;
			return askedAt - finish;
		});
}
