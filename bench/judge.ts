import { loadConfig } from '../src/config.js';
import { jobKinds } from './finish-distribution.js';
import type { RenderModel } from './flags.js';
import { oracleP95Ms, type PollRules } from './oracle.js';
import { type PollerSettings, simulatePoller, type TimedJob } from './poller-sim.js';
import { percentile } from './stats.js';
import type { JobSpec } from './workload.js';

/**
 * The bot's own polling settings, from the one schema that holds every default; `POLL_MIN_INTERVAL_MS` in the bench's
 * environment, and `POLL_MAX_INTERVAL_MS`, override the bounds, to see what those settings cost against the oracle.
 */
export const POLLING = loadConfig({
	DISCORD_TOKEN: 'bench',
	MODELVERSE_API_KEY: 'bench',
	POLL_MIN_INTERVAL_MS: process.env.POLL_MIN_INTERVAL_MS,
	POLL_MAX_INTERVAL_MS: process.env.POLL_MAX_INTERVAL_MS,
}).polling;

/** The rules the bot's poller keeps, for an oracle held to them too. */
const BOT_RULES: PollRules = {
	minGapMs: POLLING.minIntervalMs,
	maxGapMs: POLLING.maxIntervalMs,
	firstPollMs: POLLING.minIntervalMs,
};

/** What a poller spent and reached on a workload. */
export interface Outcome {
	queriesPerJob: number;
	p95Ms: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One poller beside the oracle at the same queries per job: the oracle free to poll whenever it likes, and the oracle
 * held to the bot's own rules (queries of a job at least POLL_MIN_INTERVAL_MS and at most POLL_MAX_INTERVAL_MS apart,
 * the first one POLL_MIN_INTERVAL_MS after submit), which shows what the rules cost and what the policy does.
 */
export function beside(model: RenderModel, label: string, outcome: Outcome): string {
	const kinds = jobKinds(model);
	const free = oracleP95Ms(kinds, outcome.queriesPerJob);
	const ruled = oracleP95Ms(kinds, outcome.queriesPerJob, BOT_RULES);
	return `${label}: ${outcome.queriesPerJob.toFixed(1)} queries/job, p95 ${seconds(outcome.p95Ms)}; oracle at the same queries ${seconds(free)} (x${(outcome.p95Ms / free).toFixed(2)}), held to the bot's intervals ${seconds(ruled)} (x${(outcome.p95Ms / ruled).toFixed(2)})`;
}

/** A burst as `runBot` sends it: every command of `jobs` spread evenly over one second. */
export const inOneSecond = (jobs: JobSpec[]): TimedJob[] =>
	jobs.map((job, index) => ({ ...job, submitAt: (index * 1000) / Math.max(1, jobs.length) }));

/** The bot's poller in simulated time on a burst, with no budget binding, as the comparison runs it. */
export async function simulateBurst(
	jobs: TimedJob[],
	variant: Pick<PollerSettings, 'history' | 'fixedIntervalMs'>,
	queriesPerSecond: number,
): Promise<Outcome> {
	const run = await simulatePoller(jobs, {
		minMs: POLLING.minIntervalMs,
		maxMs: POLLING.maxIntervalMs,
		queriesPerSecond,
		...variant,
	});
	return { queriesPerJob: run.queriesPerJob, p95Ms: percentile(run.detections, 0.95) };
}
