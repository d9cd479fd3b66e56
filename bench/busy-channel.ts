import type { BenchFlags } from './flags.js';
import { measure, type RunResult } from './measure.js';
import { Rig } from './rig.js';
import { runBot } from './run-bot.js';
import { maxInWindow, percentile } from './stats.js';
import { indexFromPrompt, type JobSpec, makeJobs, seededRandom } from './workload.js';

const SMALL_VIDEO_BYTES = 64 * 1024;
/** Tasks finish this long after submit: short renders, so the posts crowd together. */
const FINISH_MS = { from: 20_000, to: 40_000 } as const;
/** Renders the bot has learned before: the same kind of short jobs, so its poller aims from the start. */
const HISTORY_JOBS = 300;

/** The busy-channel workload: the fleet's settings, no queue, every task finishing 20–40 s after submit. */
function shortJobs(count: number, seed: number): JobSpec[] {
	// A generator of its own, so render times do not repeat the draws that picked the settings.
	const random = seededRandom(seed + 0x5eed);
	return makeJobs(count, 'uniform', seed).map((job) => ({
		...job,
		queueMs: 0,
		renderMs: FINISH_MS.from + random() * (FINISH_MS.to - FINISH_MS.from),
	}));
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const spread = (values: number[]) =>
	`p50/p95/max ${seconds(percentile(values, 0.5))}/${seconds(percentile(values, 0.95))}/${seconds(Math.max(...values))} s`;

/**
 * `--scenario busy-channel`: `--channel-jobs` members each send `/video text` in the same channel within one second,
 * and every video is posted there within about 20 s of the others. Measures how long a finished video takes to reach
 * the channel (from the task's Success at the provider to the message created at Discord), split at the status query
 * that saw the Success (the detection delay, then what the bot takes to post), how fast posts go out, the edits and
 * 429s one busy channel draws, and the bot's peak memory.
 */
export async function busyChannel(flags: BenchFlags): Promise<{ rows: RunResult[]; lines: string[] }> {
	const jobs = shortJobs(flags.channelJobs, flags.seed + 3);
	const rig = await Rig.start(jobs, SMALL_VIDEO_BYTES, { oneChannel: true });
	const result = await runBot({
		rig,
		env: rig.botEnvironment({ STATUS_QUERIES_PER_SECOND: String(flags.qps) }),
		history: shortJobs(HISTORY_JOBS, flags.seed + 4),
		sendFrom: Date.now() + 1_000,
		commandsPerSecond: flags.channelJobs,
		timeoutMs: 10 * 60_000,
	});
	const row = measure(`busy channel, ${flags.channelJobs} jobs`, rig, result.usages);
	const seenAt = new Map<string, number>();
	for (const query of rig.modelverse.statusQueries) {
		if (query.taskStatus === 'Success' && !seenAt.has(query.taskId)) seenAt.set(query.taskId, query.at);
	}
	const successToPost: number[] = [];
	const successToSeen: number[] = [];
	const seenToPost: number[] = [];
	for (const submission of rig.modelverse.submissions) {
		const succeededAt = rig.modelverse.task(submission.taskId)?.becameTerminalAt;
		const postedAt = rig.recording.postedAt.get(indexFromPrompt(submission.body.input.prompt));
		const seen = seenAt.get(submission.taskId);
		if (succeededAt === undefined || postedAt === undefined || seen === undefined) continue;
		successToPost.push(postedAt - succeededAt);
		successToSeen.push(seen - succeededAt);
		seenToPost.push(postedAt - seen);
	}
	const posts = [...rig.recording.postedAt.values()].sort((a, b) => a - b);
	const postingSeconds = ((posts.at(-1) ?? 0) - (posts[0] ?? 0)) / 1000;
	await rig.close();
	return {
		rows: [row],
		lines: [
			`busy channel: ${flags.channelJobs} members, one channel, commands within 1 s, tasks finishing ${FINISH_MS.from / 1000}-${FINISH_MS.to / 1000} s after submit, warm history, budget ${flags.qps} q/s; ${row.delivered}/${flags.channelJobs} posted`,
			`busy channel: Success -> video message created ${spread(successToPost)}: Success -> the status query that saw it ${spread(successToSeen)}, then -> message created ${spread(seenToPost)}`,
			`busy channel: ${posts.length} posts in ${postingSeconds.toFixed(1)} s (${(posts.length / Math.max(postingSeconds, 1e-3)).toFixed(1)}/s), at most ${maxInWindow(posts, 1000)} in any 1 s; edits/job ${row.editsPerJob.toFixed(1)}; 429s ${row.rateLimited}; peak RSS ${row.peakRssMb.toFixed(0)} MB`,
			...(result.finished
				? []
				: [`WARNING busy channel: only ${row.delivered}/${row.commands} videos posted before the timeout`]),
		],
	};
}
