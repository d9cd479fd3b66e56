import sharp from 'sharp';
import { burstAgainstOracle, fleetAgainstOracle } from './against-oracle.js';
import { BotProcess } from './bot-process.js';
import { compileBotAt, compiledEntry } from './compile.js';
import type { BenchFlags } from './flags.js';
import { benchImages } from './images.js';
import { measure, type RunResult } from './measure.js';
import { Rig } from './rig.js';
import { runBot, stopRecordingUsage } from './run-bot.js';
import { maxInWindow } from './stats.js';
import { DISTRIBUTION_NOTE, makeJobs } from './workload.js';

const SMALL_VIDEO_BYTES = 64 * 1024;
/** Past jobs a warm bot has seen: 50 per setting, the most it keeps. */
const HISTORY_JOBS = 300;
/** Bursts of different bots start this far apart, so one bot's burst never slows another's deferrals. */
const BURST_STAGGER_MS = 4_000;
/** Wide enough never to bind in the comparison: public clients have no global budget. */
const UNBOUNDED_QPS = '1000';

export interface ScenarioReport {
	rows: RunResult[];
	/** Tables of a scenario with columns of its own, printed before the common table. */
	tables?: string[];
	lines: string[];
}

/**
 * The default workload, a burst of commands within one second, through three bots at once on the same workload: the
 * fixed 5 s timer, and the adaptive poller from a cold start (no history) and warm (history from earlier jobs).
 */
export async function compare(flags: BenchFlags): Promise<ScenarioReport> {
	const jobs = makeJobs(flags.jobs, flags.renderModel, flags.seed);
	const history = makeJobs(HISTORY_JOBS, flags.renderModel, flags.seed + 1000);
	const variants = [
		{ label: 'fixed 5 s (baseline)', env: { POLL_POLICY: 'fixed-interval', POLL_FIXED_INTERVAL_MS: '5000' } },
		{ label: 'adaptive, cold start', env: { POLL_POLICY: 'adaptive' } },
		{ label: 'adaptive, warm', env: { POLL_POLICY: 'adaptive' }, history },
	];
	const rigs = await Promise.all(variants.map(() => Rig.start(jobs, SMALL_VIDEO_BYTES)));
	const firstBurstAt = Date.now() + 15_000;
	const results = await Promise.all(
		variants.map((variant, position) => {
			const rig = rigs[position] as Rig;
			return runBot({
				rig,
				env: rig.botEnvironment({ STATUS_QUERIES_PER_SECOND: UNBOUNDED_QPS, ...variant.env }),
				...(variant.history ? { history: variant.history } : {}),
				sendFrom: firstBurstAt + position * BURST_STAGGER_MS,
				commandsPerSecond: flags.jobs,
				timeoutMs: 6 * 60_000,
			});
		}),
	);
	const rows = variants.map((variant, position) =>
		measure(variant.label, rigs[position] as Rig, results[position]?.usages ?? []),
	);
	await Promise.all(rigs.map((rig) => rig.close()));
	const [baseline, cold, warm] = rows as [RunResult, RunResult, RunResult];
	return {
		rows,
		lines: [
			`compare: ${flags.jobs} commands within 1 s per bot, 3 bots at once (bursts ${BURST_STAGGER_MS / 1000} s apart), budget ${UNBOUNDED_QPS} q/s (not binding); ${DISTRIBUTION_NOTE[flags.renderModel]}`,
			ratio(cold, baseline),
			ratio(warm, baseline),
			...(await burstAgainstOracle(flags.renderModel, jobs, history, { cold, warm }, Number(UNBOUNDED_QPS))),
			...unfinished(
				rows,
				results.map((result) => result.finished),
			),
		],
	};
}

/** Many open jobs under the production budget, with a restart once they are all submitted. */
export async function fleet(flags: BenchFlags): Promise<ScenarioReport> {
	const jobs = makeJobs(flags.fleetJobs, flags.renderModel, flags.seed + 1);
	const history = makeJobs(HISTORY_JOBS, flags.renderModel, flags.seed + 2000);
	const rig = await Rig.start(jobs, SMALL_VIDEO_BYTES);
	const env = rig.botEnvironment({ STATUS_QUERIES_PER_SECOND: String(flags.qps) });
	let restart: { at: number; readyAfterMs: number } | undefined;
	const result = await runBot({
		rig,
		env,
		history,
		sendFrom: Date.now() + 2_000,
		commandsPerSecond: flags.arrivalPerSecond,
		timeoutMs: 20 * 60_000,
		...(flags.restartAfterSeconds > 0
			? {
					afterSubmitted: async (bot: BotProcess) => {
						await new Promise((resolve) => setTimeout(resolve, flags.restartAfterSeconds * 1000));
						await stopRecordingUsage(bot);
						const at = Date.now();
						const next = new BotProcess(env);
						await next.ready();
						restart = { at, readyAfterMs: Date.now() - at };
						return next;
					},
				}
			: {}),
	});
	const row = measure(`fleet ${flags.fleetJobs} jobs, ${flags.qps} q/s`, rig, result.usages);
	const lines = [
		`fleet: ${flags.fleetJobs} commands at ${flags.arrivalPerSecond}/s, warm history, budget ${flags.qps} q/s; ${DISTRIBUTION_NOTE[flags.renderModel]}`,
		`fleet: budget ${row.maxQueriesInOneSecond <= flags.qps ? 'held' : 'EXCEEDED'} (max ${row.maxQueriesInOneSecond} queries in any 1 s window at the stand-in); ${row.delivered}/${flags.fleetJobs} delivered`,
	];
	if (restart) lines.push(restartLine(rig, restart, flags.qps));
	lines.push(...(await fleetAgainstOracle(flags, jobs, row)));
	lines.push(...unfinished([row], [result.finished]));
	await rig.close();
	return { rows: [row], lines };
}

/** Peak memory with small and with large videos, all finishing at once so deliveries overlap as much as they can. */
export async function videos(flags: BenchFlags): Promise<ScenarioReport> {
	const count = 40;
	const jobs = makeJobs(count, flags.renderModel, flags.seed + 2).map((job) => ({
		...job,
		queueMs: 0,
		renderMs: 20_000,
	}));
	const sizes = [SMALL_VIDEO_BYTES, Math.round(flags.videoMegabytes * 1024 * 1024)];
	const rows: RunResult[] = [];
	const finished: boolean[] = [];
	for (const bytes of sizes) {
		const rig = await Rig.start(jobs, bytes);
		const result = await runBot({
			rig,
			env: rig.botEnvironment({ STATUS_QUERIES_PER_SECOND: '50' }),
			sendFrom: Date.now() + 1_000,
			commandsPerSecond: count,
			timeoutMs: 3 * 60_000,
		});
		rows.push(measure(`videos of ${(bytes / 1024 / 1024).toFixed(2)} MB`, rig, result.usages));
		finished.push(result.finished);
		await rig.close();
	}
	const [small, large] = rows as [RunResult, RunResult];
	return {
		rows,
		lines: [
			`videos: ${count} jobs finishing together (render 20 s, no queue), budget 50 q/s; peak RSS grows by ${(large.peakRssMb - small.peakRssMb).toFixed(0)} MB for videos ${(sizes[1] ?? 0) / (sizes[0] ?? 1)}x larger`,
			...unfinished(rows, finished),
		],
	};
}

/** The memory a bot needs beyond idle, at most, in the `frames` scenario: what the bounded inputs promise. */
const FRAMES_TARGET_INCREASE_MB = 150;

/**
 * Members who send the largest images they may, all at once: `/video frames` with two images just under 20 MB each
 * (a 3400 × 2550 PNG and a 6000 × 4000 JPEG). Peak RSS against idle, for the bot now and, unless told not to, for the
 * bot at an earlier commit on the very same workload.
 */
export async function frames(flags: BenchFlags): Promise<ScenarioReport> {
	const [first, last] = await benchImages();
	if (!first || !last) throw new Error('the bench images are missing');
	const jobs = makeJobs(flags.framesJobs, flags.renderModel, flags.seed + 3).map((job) => ({
		...job,
		queueMs: 0,
		renderMs: 5_000,
	}));
	const command = () => ({
		subcommand: 'frames',
		options: {
			first: { attachment: { filename: first.filename, bytes: first.bytes } },
			last: { attachment: { filename: last.filename, bytes: last.bytes } },
		},
	});
	const variants: Array<{ label: string; entry: string }> = [];
	const baselineEntry = flags.baselineRevision ? compileBotAt(flags.baselineRevision) : undefined;
	if (baselineEntry) variants.push({ label: `frames, before (${flags.baselineRevision})`, entry: baselineEntry });
	variants.push({ label: 'frames, now', entry: compiledEntry });
	const rows: RunResult[] = [];
	const lines = [
		`frames: ${flags.framesJobs} /video frames commands at once, each with ${describe(first)} and ${describe(last)}; target: peak RSS under idle + ${FRAMES_TARGET_INCREASE_MB} MB`,
	];
	// One after the other, never side by side: each bot's peak must be its own.
	for (const variant of variants) {
		const rig = await Rig.start(jobs, SMALL_VIDEO_BYTES, { commandFor: command });
		const result = await runBot({
			rig,
			env: rig.botEnvironment({ STATUS_QUERIES_PER_SECOND: '50' }),
			sendFrom: Date.now() + 1_000,
			commandsPerSecond: flags.framesJobs,
			timeoutMs: 5 * 60_000,
			entry: variant.entry,
		});
		const row = measure(variant.label, rig, result.usages);
		rows.push(row);
		const idleMb = result.idle.rssKb / 1024;
		const increase = row.peakRssMb - idleMb;
		const verdict = increase < FRAMES_TARGET_INCREASE_MB ? 'under' : 'OVER';
		lines.push(
			`${variant.label}: idle RSS ${idleMb.toFixed(0)} MB, peak ${row.peakRssMb.toFixed(0)} MB: +${increase.toFixed(0)} MB (${verdict} the target of +${FRAMES_TARGET_INCREASE_MB} MB); the provider received ${await receivedImages(rig)}`,
			...unfinished([row], [result.finished]),
		);
		await rig.close();
	}
	return { rows, lines };
}

function describe(image: { filename: string; bytes: Buffer; width: number; height: number }): string {
	return `a ${image.width} x ${image.height} ${image.filename.split('.').pop()?.toUpperCase()} of ${(image.bytes.length / 1024 / 1024).toFixed(1)} MB`;
}

/** What reached the provider: each distinct image's format, size in pixels and bytes, and the largest submit body. */
async function receivedImages(rig: Rig): Promise<string> {
	const seen = new Map<string, string>();
	let largestBody = 0;
	for (const { body } of rig.modelverse.submissions) {
		const fields = [body.input.first_frame_url, body.input.last_frame_url].filter((field) => field !== undefined);
		largestBody = Math.max(
			largestBody,
			fields.reduce((sum, field) => sum + field.length, 0),
		);
		for (const field of fields) {
			const bytes = Buffer.from(field.slice(field.indexOf(',') + 1), 'base64');
			const { format, width, height } = await sharp(bytes).metadata();
			seen.set(`${format} ${width} x ${height}`, `${(bytes.length / 1024 / 1024).toFixed(1)} MB`);
		}
	}
	const images = [...seen].map(([image, size]) => `${image} (${size})`).join(', ');
	return `${images || 'no image'}; largest body ${(largestBody / 1024 / 1024).toFixed(1)} MB of Base64`;
}

function ratio(adaptive: RunResult, baseline: RunResult): string {
	const queries = adaptive.queriesPerJob / baseline.queriesPerJob;
	const p95 = adaptive.detectionP95Ms / baseline.detectionP95Ms;
	const p50 = adaptive.detectionP50Ms / baseline.detectionP50Ms;
	return `${adaptive.label} vs baseline: queries/job x${queries.toFixed(2)}, detection p50 x${p50.toFixed(2)}, p95 x${p95.toFixed(2)}`;
}

function restartLine(rig: Rig, restart: { at: number; readyAfterMs: number }, qps: number): string {
	const after = rig.modelverse.statusQueries.filter((query) => query.at >= restart.at);
	const first = after[0];
	const openAtRestart = rig.modelverse.submissions.filter(
		(submission) => (rig.recording.firstDownloadAt.get(submission.taskId) ?? Number.POSITIVE_INFINITY) > restart.at,
	).length;
	const firstPoll = first ? `${((first.at - restart.at) / 1000).toFixed(1)} s` : 'never';
	const aroundRestart = rig.modelverse.statusQueries
		.filter((query) => Math.abs(query.at - restart.at) < 30_000)
		.map((query) => query.at);
	return `restart: ${openAtRestart} jobs open; new process ready after ${(restart.readyAfterMs / 1000).toFixed(1)} s, first poll ${firstPoll} after the old one stopped; at most ${maxInWindow(aroundRestart, 1000)} queries in any 1 s within 30 s of the restart (budget ${qps})`;
}

function unfinished(rows: RunResult[], finished: boolean[]): string[] {
	return rows.flatMap((row, position) =>
		finished[position]
			? []
			: [`WARNING ${row.label}: only ${row.delivered}/${row.commands} videos posted before the timeout`],
	);
}
