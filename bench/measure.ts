import type { ResourceUsage } from './bot-process.js';
import type { Rig } from './rig.js';
import { maxInWindow, peakOverlap, percentile } from './stats.js';
import { indexFromPrompt } from './workload.js';

/** One line of the table. Times are milliseconds unless named otherwise. */
export interface RunResult {
	label: string;
	commands: number;
	delivered: number;
	peakOpenJobs: number;
	deferP50Ms: number;
	deferP99Ms: number;
	/** Commands whose deferral Discord refused or never got. */
	deferMissed: number;
	queriesPerJob: number;
	maxQueriesInOneSecond: number;
	detectionP50Ms: number;
	detectionP95Ms: number;
	editsPerJob: number;
	rateLimited: number;
	peakRssMb: number;
	cpuSeconds: number;
	notes: string[];
}

/** From the first download request to Discord receiving the post: how long a delivery waited and took. */
function postDelaysMs(rig: Rig): number[] {
	const delays: number[] = [];
	for (const submission of rig.modelverse.submissions) {
		const downloadAt = rig.recording.firstDownloadAt.get(submission.taskId);
		const postedAt = rig.recording.postedAt.get(indexFromPrompt(submission.body.input.prompt));
		if (downloadAt !== undefined && postedAt !== undefined) delays.push(postedAt - downloadAt);
	}
	return delays;
}

const EDIT_ROUTES = new Set([
	'/webhooks/{webhook_id}/{webhook_token}/messages/@original',
	'/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}',
	'/channels/{channel_id}/messages/{message_id}',
]);

export function measure(label: string, rig: Rig, usages: ResourceUsage[], notes: string[] = []): RunResult {
	const { recording, modelverse, discord } = rig;
	const deferLatencies: number[] = [];
	let deferMissed = 0;
	for (const [index, sentAt] of recording.sentAt) {
		const deferredAt = recording.deferredAt.get(index);
		const status = recording.deferStatus.get(index) ?? 0;
		if (deferredAt === undefined || status >= 300) deferMissed++;
		else deferLatencies.push(deferredAt - sentAt);
	}
	const detections: number[] = [];
	const openIntervals: Array<{ from: number; to: number }> = [];
	for (const submission of modelverse.submissions) {
		const task = modelverse.task(submission.taskId);
		const downloadAt = recording.firstDownloadAt.get(submission.taskId);
		if (task?.becameTerminalAt !== undefined && downloadAt !== undefined)
			detections.push(downloadAt - task.becameTerminalAt);
		openIntervals.push({ from: submission.at, to: downloadAt ?? Number.POSITIVE_INFINITY });
	}
	const jobs = Math.max(1, modelverse.submissions.length);
	const limitedRoutes = new Map<string, number>();
	for (const request of discord.rateLimited) {
		const route = `${request.method} ${request.route ?? request.path}`;
		limitedRoutes.set(route, (limitedRoutes.get(route) ?? 0) + 1);
	}
	if (limitedRoutes.size > 0) {
		notes.push(`${label}: 429s on ${[...limitedRoutes].map(([route, count]) => `${count}x ${route}`).join(', ')}`);
	}
	const postDelays = postDelaysMs(rig);
	if (postDelays.length > 0) {
		notes.push(
			`${label}: download start to video posted p50/p95 ${percentile(postDelays, 0.5).toFixed(0)}/${percentile(postDelays, 0.95).toFixed(0)} ms`,
		);
	}
	const edits = discord.requests.filter(
		(request) => request.method === 'PATCH' && EDIT_ROUTES.has(request.route ?? ''),
	);
	return {
		label,
		commands: recording.sentAt.size,
		delivered: rig.delivered,
		peakOpenJobs: peakOverlap(openIntervals),
		deferP50Ms: percentile(deferLatencies, 0.5),
		deferP99Ms: percentile(deferLatencies, 0.99),
		deferMissed,
		queriesPerJob: modelverse.statusQueries.length / jobs,
		maxQueriesInOneSecond: maxInWindow(
			modelverse.statusQueries.map((query) => query.at),
			1000,
		),
		detectionP50Ms: percentile(detections, 0.5),
		detectionP95Ms: percentile(detections, 0.95),
		editsPerJob: edits.length / jobs,
		rateLimited: discord.rateLimited.length,
		peakRssMb: Math.max(...usages.map((usage) => usage.maxRssKb)) / 1024,
		cpuSeconds: usages.reduce((sum, usage) => sum + usage.cpuMicros, 0) / 1e6,
		notes,
	};
}
