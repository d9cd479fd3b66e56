import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPostgresServer } from '../standins/servers/postgres-server.js';
import { startRedisServer } from '../standins/servers/redis-server.js';
import { BotProcess, type ResourceUsage } from './bot-process.js';
import type { BenchFlags } from './flags.js';
import { seedHistory } from './history.js';
import { measure, type RunResult } from './measure.js';
import { Rig } from './rig.js';
import { until } from './run-bot.js';
import type { ScenarioReport } from './scenarios.js';
import { busiestWindowGaps, overLimit } from './stats.js';
import { type Column, formatColumns, seconds } from './table.js';
import { indexFromPrompt, type JobSpec, SETTINGS, seededRandom } from './workload.js';

const SMALL_VIDEO_BYTES = 64 * 1024;
const HISTORY_JOBS = 300;
/**
 * Short renders, so that three runs of 1,000 jobs fit in minutes: what bounds a run is then the budget (every job needs
 * at least one status query), not the renders.
 */
const SHORT = { queueMs: { from: 0, to: 5_000 }, renderMs: { from: 15_000, to: 45_000 } } as const;
const SHORT_NOTE = 'queue U(0,5) s, render U(15,45) s whatever the settings, no tail';
const RUN_TIMEOUT_MS = 15 * 60_000;
/** What a survivor logs when it claims a job whose queue item a dead process held (src/video/jobs/job-service.ts). */
const TAKEOVER_LOG = 'took over a job';

function shortJobs(count: number, seed: number): JobSpec[] {
	const random = seededRandom(seed);
	const between = (range: { from: number; to: number }) => range.from + random() * (range.to - range.from);
	return Array.from({ length: count }, (_, index) => {
		const settings = SETTINGS[Math.floor(random() * SETTINGS.length)] ?? SETTINGS[0];
		return { index, ...settings, queueMs: between(SHORT.queueMs), renderMs: between(SHORT.renderMs) };
	});
}

interface Variant {
	label: string;
	processes: number;
	/** SIGKILL the last process once every task is submitted, and never restart it. */
	kill: boolean;
}

interface ProcessUsage {
	label: string;
	usage: ResourceUsage;
}

interface Recovery {
	/** Jobs of the killed process that were open (not posted) when it died. */
	adopted: number;
	/** Kill → a survivor's log saying it took over the killed process's jobs; NaN if it never said so. */
	takeoverMs: number;
	/** Kill → the survivor's first status query for one of them. */
	firstQueryMs: number;
	/** Kill → the last of them posted. */
	lastPostMs: number;
}

interface ScaleRow {
	base: RunResult;
	duplicates: number;
	submittedTwice: number;
	/** Status queries that reached the provider with the budget's worth already in the second before them. */
	overBudget: number;
	busiest: ReturnType<typeof busiestWindowGaps>;
	/** How late the stand-ins' event loop ran (p99 and max, ms): the error on every arrival time stamped there. */
	standInLagMs: { p99: number; max: number };
	processes: ProcessUsage[];
	recovery: Recovery | undefined;
	finished: boolean;
}

/**
 * The same seeded workload three ways, each against fresh PostgreSQL, Redis and stand-ins: one process, two processes
 * (one shard each), and two processes of which one is killed mid-run and not restarted.
 */
export async function scale(flags: BenchFlags): Promise<ScenarioReport> {
	const jobs = shortJobs(flags.fleetJobs, flags.seed + 4);
	const history = shortJobs(HISTORY_JOBS, flags.seed + 4000);
	const variants: Variant[] = [
		{ label: '1 process (baseline)', processes: 1, kill: false },
		{ label: '2 processes', processes: 2, kill: false },
		{ label: '2 processes, 1 killed', processes: 2, kill: true },
	];
	const rows: ScaleRow[] = [];
	for (const variant of variants) {
		console.error(`scale: ${variant.label}...`);
		rows.push(await runVariant(variant, jobs, history, flags));
	}
	const [baseline] = rows as [ScaleRow];
	const columns: Array<Column<ScaleRow>> = [
		['run', (row) => row.base.label],
		['commands', (row) => `${row.base.commands}`],
		['delivered', (row) => `${row.base.delivered}`],
		['duplicates', (row) => `${row.duplicates}`],
		['submitted twice', (row) => `${row.submittedTwice}`],
		['queries/job', (row) => row.base.queriesPerJob.toFixed(1)],
		['max queries in 1 s', (row) => `${row.base.maxQueriesInOneSecond} of ${flags.qps}`],
		['queries over budget', (row) => `${row.overBudget}`],
		['detection p50/p95 s', (row) => `${seconds(row.base.detectionP50Ms)}/${seconds(row.base.detectionP95Ms)}`],
		[
			'recovery s (takeover/first query/last post)',
			(row) =>
				row.recovery
					? `${seconds(row.recovery.takeoverMs)}/${seconds(row.recovery.firstQueryMs)}/${seconds(row.recovery.lastPostMs)}`
					: '-',
		],
		['429s', (row) => `${row.base.rateLimited}`],
		['peak RSS MB per process', (row) => row.processes.map((p) => (p.usage.maxRssKb / 1024).toFixed(0)).join(' / ')],
		['CPU s per process', (row) => row.processes.map((p) => (p.usage.cpuMicros / 1e6).toFixed(1)).join(' / ')],
	];
	const lines = [
		`scale: ${flags.fleetJobs} commands at ${flags.arrivalPerSecond}/s over guilds alternating between 2 shards, warm history (${HISTORY_JOBS} renders), budget ${flags.qps} q/s shared through Redis, OWNER_LEASE_SECONDS=${flags.leaseSeconds}; ${SHORT_NOTE}; each run on fresh PostgreSQL 15 + Redis + stand-ins`,
		'scale: baseline = run 1 (one process, SHARD_COUNT=1, on the same PostgreSQL + Redis store)',
		...rows.slice(1).map((row) => against(row, baseline)),
		...rows.flatMap((row) => row.base.notes),
		...rows.map(
			(row) =>
				`${row.base.label}: the busiest second at the provider, gaps between its queries ${row.busiest.gaps.join('/')} ms; smallest gap of the run ${row.busiest.smallestGap} ms; the stand-ins' event loop late by up to ${row.standInLagMs.max.toFixed(0)} ms (p99 ${row.standInLagMs.p99.toFixed(0)} ms)`,
		),
		...rows.flatMap((row) =>
			row.recovery
				? [
						`${row.base.label}: killed once every task was submitted; ${row.recovery.adopted} of its jobs were open then; the killed process's RSS/CPU are up to the kill`,
					]
				: [],
		),
		...rows
			.filter((row) => !row.finished)
			.map((row) => `${row.base.label}: UNFINISHED, ${row.base.delivered}/${row.base.commands} posted`),
	];
	return { rows: [], tables: [formatColumns(columns, rows)], lines };
}

function against(row: ScaleRow, baseline: ScaleRow): string {
	const cpu = (r: ScaleRow) => r.processes.reduce((sum, p) => sum + p.usage.cpuMicros, 0) / 1e6;
	return `${row.base.label} against the baseline: detection p95 ${seconds(row.base.detectionP95Ms)} s vs ${seconds(baseline.base.detectionP95Ms)} s, CPU of all processes ${cpu(row).toFixed(1)} s vs ${cpu(baseline).toFixed(1)} s`;
}

async function runVariant(variant: Variant, jobs: JobSpec[], history: JobSpec[], flags: BenchFlags): Promise<ScaleRow> {
	const postgres = await startPostgresServer();
	const redis = await startRedisServer();
	const rig = await Rig.start(jobs, SMALL_VIDEO_BYTES, { shards: 2 });
	const bots: Array<{ label: string; bot: BotProcess }> = [];
	// The stand-ins stamp each query as their own event loop gets to it: a stall here bunches the stamps.
	const standInLag = monitorEventLoopDelay({ resolution: 10 });
	standInLag.enable();
	try {
		const databaseUrl = await postgres.createDatabase('bench');
		await seedHistory(databaseUrl, history);
		const shared = rig.botEnvironment({
			STATUS_QUERIES_PER_SECOND: String(flags.qps),
			DATABASE_URL: databaseUrl,
			REDIS_URL: redis.url,
			OWNER_LEASE_SECONDS: String(flags.leaseSeconds),
		});
		for (let shard = 0; shard < variant.processes; shard++) {
			const env = {
				...shared,
				SHARD_COUNT: String(variant.processes),
				SHARD_IDS: String(shard),
				INSTANCE_ID: `bench-${shard}`,
			};
			bots.push({ label: `shard ${shard}`, bot: new BotProcess(env) });
		}
		await Promise.all(bots.map(({ bot }) => bot.ready()));
		await rig.warmUp();
		const startedAt = Date.now();
		const gapMs = 1000 / flags.arrivalPerSecond;
		for (let index = 0; index < jobs.length; index++) {
			await sleep(Math.max(0, startedAt + index * gapMs - Date.now()));
			rig.sendCommand(index);
		}
		const killed: ProcessUsage[] = [];
		let kill: { at: number; open: Set<number>; takeoverAt: () => number } | undefined;
		if (variant.kill) {
			await until(() => rig.modelverse.submissions.length >= jobs.length, RUN_TIMEOUT_MS);
			const victim = bots.pop();
			if (!victim) throw new Error('no process to kill');
			killed.push({ label: `${victim.label} (killed)`, usage: await victim.bot.resourceUsage() });
			let takeoverAt = Number.NaN;
			void Promise.race(bots.map(({ bot }) => bot.whenLogged(TAKEOVER_LOG))).then((time) => {
				takeoverAt = time;
			});
			const at = Date.now();
			await victim.bot.kill();
			// Whichever process's worker took a job's item sent it, and followed it until the kill.
			const open = new Set(
				rig.modelverse.submissions
					.filter(({ taskId }) => victim.bot.submittedTaskIds.has(taskId))
					.map(({ body }) => indexFromPrompt(body.input.prompt))
					.filter((index) => !rig.recording.postedAt.has(index)),
			);
			kill = { at, open, takeoverAt: () => takeoverAt };
		}
		const finished = await until(() => rig.delivered >= jobs.length, RUN_TIMEOUT_MS - (Date.now() - startedAt));
		const processes: ProcessUsage[] = [];
		for (const { label, bot } of bots) processes.push({ label, usage: await bot.resourceUsage() });
		processes.push(...killed);
		await Promise.all(bots.map(({ bot }) => bot.stop()));
		for (const { label, bot } of bots) if (bot.errorCount > 0) console.error(`${label} logged errors:\n${bot.errors}`);
		standInLag.disable();
		const queryTimes = rig.modelverse.statusQueries.map((query) => query.at);
		const base = measure(
			variant.label,
			rig,
			processes.map((p) => p.usage),
		);
		return {
			base,
			duplicates: [...rig.recording.postCount.values()].filter((count) => count > 1).length,
			submittedTwice: submittedTwice(rig),
			overBudget: overLimit(queryTimes, 1000, flags.qps),
			busiest: busiestWindowGaps(queryTimes, 1000),
			standInLagMs: { p99: standInLag.percentile(99) / 1e6, max: standInLag.max / 1e6 },
			processes,
			recovery: kill ? recovery(rig, kill) : undefined,
			finished,
		};
	} finally {
		await Promise.all(bots.map(({ bot }) => bot.kill()));
		await rig.close();
		await redis.close();
		await postgres.stop();
	}
}

/** Jobs whose task reached the provider more than once. */
function submittedTwice(rig: Rig): number {
	const counts = new Map<string, number>();
	for (const { body } of rig.modelverse.submissions)
		counts.set(body.input.prompt, (counts.get(body.input.prompt) ?? 0) + 1);
	return [...counts.values()].filter((count) => count > 1).length;
}

function recovery(rig: Rig, kill: { at: number; open: Set<number>; takeoverAt: () => number }): Recovery {
	const openTasks = new Set(
		rig.modelverse.submissions
			.filter(({ body }) => kill.open.has(indexFromPrompt(body.input.prompt)))
			.map(({ taskId }) => taskId),
	);
	const firstQuery = rig.modelverse.statusQueries.find((query) => query.at >= kill.at && openTasks.has(query.taskId));
	const lastPost = Math.max(...[...kill.open].map((index) => rig.recording.postedAt.get(index) ?? Number.NaN));
	return {
		adopted: kill.open.size,
		takeoverMs: kill.takeoverAt() - kill.at,
		firstQueryMs: firstQuery ? firstQuery.at - kill.at : Number.NaN,
		lastPostMs: lastPost - kill.at,
	};
}
