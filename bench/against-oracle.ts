import { trueFinish } from './finish-distribution.js';
import type { BenchFlags, RenderModel } from './flags.js';
import { beside, inOneSecond, POLLING, simulateBurst } from './judge.js';
import type { RunResult } from './measure.js';
import { clairvoyantUnderBudget, simulateOracleUnderBudget, simulatePoller } from './poller-sim.js';
import { percentile } from './stats.js';
import { type JobSpec, makeJobs } from './workload.js';

/** Bursts pooled in the simulation, so that its p95 is the workload's and not one burst's luck. */
const SIMULATED_BURSTS = 20;
const HISTORY_JOBS = 300;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A SIGTERM drain and a fresh start, as the fleet's restart takes on this machine (about 1 s to be ready). */
const RESTART_DOWN_MS = 2_000;

const measuredOutcome = (row: RunResult) => ({ queriesPerJob: row.queriesPerJob, p95Ms: row.detectionP95Ms });

/**
 * The comparison's adaptive bots beside the oracle at their own queries per job: as measured on the real bot, and as
 * simulated (the real scheduling code in simulated time) on the very same jobs, which leaves out the network.
 */
export async function burstAgainstOracle(
	model: RenderModel,
	jobs: JobSpec[],
	history: JobSpec[],
	measured: { cold: RunResult; warm: RunResult },
	queriesPerSecond: number,
): Promise<string[]> {
	const timed = inOneSecond(jobs);
	const cold = await simulateBurst(timed, { history: [] }, queriesPerSecond);
	const warm = await simulateBurst(timed, { history }, queriesPerSecond);
	return [
		beside(model, 'cold start, measured', measuredOutcome(measured.cold)),
		beside(model, 'cold start, simulated on the same jobs', cold),
		beside(model, 'warm, measured', measuredOutcome(measured.warm)),
		beside(model, 'warm, simulated on the same jobs', warm),
	];
}

/**
 * `--scenario oracle`: simulation only, in seconds. The bot's poller (baseline, cold, warm) on many bursts of the
 * comparison's size, for both workloads, beside the oracle; then the fleet under its budget beside an oracle under
 * the same budget.
 */
export async function oracle(flags: BenchFlags): Promise<{ rows: RunResult[]; lines: string[] }> {
	const lines: string[] = [];
	for (const model of ['uniform', 'by-settings'] as const) {
		const bursts = Array.from({ length: SIMULATED_BURSTS }, (_, burst) =>
			makeJobs(flags.jobs, model, flags.seed + burst),
		);
		const pooled = async (history: (burst: number) => JobSpec[], fixedIntervalMs?: number) => {
			const detections: number[] = [];
			let queries = 0;
			for (const [burst, jobs] of bursts.entries()) {
				const run = await simulatePoller(inOneSecond(jobs), {
					minMs: POLLING.minIntervalMs,
					maxMs: POLLING.maxIntervalMs,
					queriesPerSecond: Number.POSITIVE_INFINITY,
					history: history(burst),
					...(fixedIntervalMs === undefined ? {} : { fixedIntervalMs }),
				});
				detections.push(...run.detections);
				queries += run.queries;
			}
			return { queriesPerJob: queries / detections.length, p95Ms: percentile(detections, 0.95) };
		};
		const where = `${model}, ${SIMULATED_BURSTS} bursts of ${flags.jobs} simulated`;
		lines.push(
			beside(
				model,
				`${where}, fixed ${POLLING.fixedIntervalMs / 1000} s`,
				await pooled(() => [], POLLING.fixedIntervalMs),
			),
			beside(model, `${where}, adaptive cold`, await pooled(() => [])),
			beside(
				model,
				`${where}, adaptive warm`,
				await pooled((burst) => makeJobs(HISTORY_JOBS, model, flags.seed + 1000 + burst)),
			),
		);
	}
	lines.push(...(await fleetAgainstOracle(flags, makeJobs(flags.fleetJobs, flags.renderModel, flags.seed + 1))));
	return { rows: [], lines };
}

/**
 * The fleet beside an oracle under the same budget (true distributions, each query on the job whose video has most
 * likely waited longest, no first query at submit, no restart, the whole budget with no margin) and beside the floor
 * no poller can beat (each job asked once, the moment it finishes, queued behind the budget); as measured, when it
 * was, and as simulated on the same jobs with the same restart.
 */
export async function fleetAgainstOracle(flags: BenchFlags, jobs: JobSpec[], measured?: RunResult): Promise<string[]> {
	const timed = jobs.map((job) => ({ ...job, submitAt: (job.index * 1000) / flags.arrivalPerSecond }));
	const lastSubmitAt = timed.at(-1)?.submitAt ?? 0;
	const ours = await simulatePoller(timed, {
		minMs: POLLING.minIntervalMs,
		maxMs: POLLING.maxIntervalMs,
		queriesPerSecond: flags.qps,
		history: makeJobs(HISTORY_JOBS, flags.renderModel, flags.seed + 2000),
		...(flags.restartAfterSeconds > 0
			? { restart: { at: lastSubmitAt + flags.restartAfterSeconds * 1000, downMs: RESTART_DOWN_MS } }
			: {}),
	});
	const oracleRun = simulateOracleUnderBudget(timed, (job) => trueFinish(flags.renderModel, job), flags.qps);
	const oracleP95 = percentile(oracleRun.detections, 0.95);
	const floorP95 = percentile(clairvoyantUnderBudget(timed, flags.qps), 0.95);
	const line = (how: string, queriesPerJob: number, p95Ms: number) =>
		`fleet ${how}: ${queriesPerJob.toFixed(2)} queries/job, detection p95 ${seconds(p95Ms)}, x${(p95Ms / oracleP95).toFixed(2)} the oracle's`;
	return [
		`fleet beside an oracle under the same ${flags.qps} q/s: oracle ${oracleRun.queriesPerJob.toFixed(2)} queries/job, detection p95 ${seconds(oracleP95)}; floor (one query per job, at its finish) ${seconds(floorP95)}`,
		...(measured ? [line('measured', measured.queriesPerJob, measured.detectionP95Ms)] : []),
		line('simulated on the same jobs', ours.queriesPerJob, percentile(ours.detections, 0.95)),
	];
}
