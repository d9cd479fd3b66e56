/** The chance (0 to 1) that a job is done by a moment (ms since the epoch), as its owner forecasts it. */
export type FinishForecast = (at: number) => number;

/** What the poller knows of one open job. */
export interface PlannedPoll {
	dueAt: number;
	/** The job's last query, or when it was tracked: the last moment it is taken to have been running. */
	runningAt: number;
	forecast?: FinishForecast;
}

/** Below this share still running by its forecast, a job has outlasted what was learned: its chance is unknown. */
const OUTLASTED = 1e-6;
/** Points of the forecast read between the last query and now: enough to rank jobs, few enough for every tick. */
const INTEGRATION_POINTS = 8;

/**
 * How long a finished video of this job has waited unseen, in expectation: the chance it has finished since it was
 * last seen running, accumulated over the time since (the integral of that chance). A job with no forecast, or past
 * every render learned, counts as finished the moment it was last seen: the poller never starves a job it cannot
 * judge.
 */
export function expectedUnseenMs(poll: PlannedPoll, now: number): number {
	const { forecast, runningAt } = poll;
	const sinceMs = Math.max(0, now - runningAt);
	if (!forecast) return sinceMs;
	const doneThen = forecast(runningAt);
	const runningThen = 1 - doneThen;
	if (runningThen < OUTLASTED) return sinceMs;
	let chances = 0;
	for (let point = 0; point < INTEGRATION_POINTS; point++) {
		chances += forecast(runningAt + ((point + 0.5) / INTEGRATION_POINTS) * sinceMs) - doneThen;
	}
	return Math.max(0, (chances / INTEGRATION_POINTS / runningThen) * sinceMs);
}

/**
 * Which due job to ask about next. When the budget allows fewer queries than are due, the job whose video has most
 * likely been waiting longest goes first: it weighs the chance of a finish (the hazard of the job's forecast since it
 * was last asked) by how long it may have waited, so neither the jobs likely done nor those long unasked are starved.
 * Between equals, the most overdue goes first.
 */
export function nextToPoll(
	polls: Iterable<readonly [string, PlannedPoll]>,
	now: number,
	inFlight: ReadonlySet<string>,
): string | undefined {
	let chosen: string | undefined;
	let chosenUnseenMs = Number.NEGATIVE_INFINITY;
	let chosenDueAt = Number.POSITIVE_INFINITY;
	for (const [jobId, poll] of polls) {
		if (poll.dueAt > now || inFlight.has(jobId)) continue;
		const unseenMs = expectedUnseenMs(poll, now);
		if (unseenMs > chosenUnseenMs || (unseenMs === chosenUnseenMs && poll.dueAt < chosenDueAt)) {
			chosen = jobId;
			chosenUnseenMs = unseenMs;
			chosenDueAt = poll.dueAt;
		}
	}
	return chosen;
}
