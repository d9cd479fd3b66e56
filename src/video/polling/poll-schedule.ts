import type { RenderTimeDistribution } from './render-estimates.js';

/** The shortest and longest wait between two status queries of one job. */
export interface PollIntervals {
	minMs: number;
	maxMs: number;
}

/** Scanning ahead in quarters of the densest spacing finds where a likely finish begins closely enough. */
const SCAN_STEPS_PER_MIN_INTERVAL = 4;
/** Dense polling while at least this share of the renders still running is expected to finish each second. */
const DENSE_HAZARD_PER_SECOND = 0.004;
/**
 * The first renders of a kind to finish trickle in: polling densely from the very first costs many queries for few
 * videos. Dense polling starts once this share has finished; the few before it wait a little longer, well inside the
 * 5 % a p95 leaves out (bench, --scenario oracle: 6 % fewer queries on the uniform workload, 10 % on by-settings, p95
 * within 0.05 s; 3 % saves more but lets the p95 slip on some seeds).
 */
const EARLY_SHARE_SKIPPED = 0.02;
/** Fewer past renders than this say too little about where the rest will finish (and, in a burst, only the fastest are in). */
const SAMPLES_TO_AIM = 10;
/**
 * Under this many times `SAMPLES_TO_AIM` renders, a job outlasting them is still polled densely up to this many times
 * the longest (bench, --scenario oracle, cold uniform: p95 2.5 s → 2.0 s on seed 7, 2.0 s on seed 1, +0.5–0.7 queries per job).
 */
const THIN_HISTORY_FACTOR = 2;
/** With nothing to aim at, poll this many times the shortest interval apart: as often as a public client would. */
const UNAIMED_SPACING_FACTOR = 2;
/**
 * Before any render has finished, a poll of a burst's jobs is there to see its first finish, which then starts dense
 * polling for the rest; seeing it a few seconds later only delays the burst's very first videos, well inside the 5 %
 * a p95 leaves out (bench, --scenario oracle, cold: 31.8 → 29.7 queries per job on the uniform workload and
 * 20.8 → 18.8 on by-settings at the same p95, seeds 1 and 7; 3.5 lets the p95 slip on seed 7).
 */
const COLD_SPACING_FACTOR = 3;
/** Well past every render seen, each poll waits a quarter of the overrun more, so a stuck task costs little. */
const OVERRUN_BACKOFF = 4;

/** Whether the renders seen say where this one will likely finish: enough of them, and not all outlasted. */
function canAim(elapsedMs: number, renderTimes: RenderTimeDistribution): boolean {
	const enoughHistory = renderTimes.learned && renderTimes.size >= SAMPLES_TO_AIM;
	return enoughHistory && !outlastsHistory(renderTimes.survival(elapsedMs), renderTimes);
}

const outlastsHistory = (running: number, renderTimes: RenderTimeDistribution) => running * renderTimes.size < 1;

/**
 * How long from `elapsedMs` until a finish is likely: 0 if it already is, at most `horizonMs`. Likely means a render
 * still running has at least `DENSE_HAZARD_PER_SECOND` chance per second of finishing, past the earliest few.
 */
function untilLikelyFinish(
	elapsedMs: number,
	renderTimes: RenderTimeDistribution,
	minMs: number,
	horizonMs: number,
): number {
	const likely = (DENSE_HAZARD_PER_SECOND * minMs) / 1000;
	const step = minMs / SCAN_STEPS_PER_MIN_INTERVAL;
	for (let at = elapsedMs; at < elapsedMs + horizonMs; at += step) {
		const running = renderTimes.survival(at);
		if (outlastsHistory(running, renderTimes)) return at - elapsedMs;
		const pastTheFirst = running <= 1 - EARLY_SHARE_SKIPPED;
		if (pastTheFirst && (running - renderTimes.survival(at + minMs)) / running >= likely) return at - elapsedMs;
	}
	return horizonMs;
}

/**
 * When to look again, from the renders seen before. Every `minMs` while a finish is likely, straight to where that
 * starts when it is further ahead (at most `maxMs`). With too little history to aim (a cold start, or a render
 * outlasting nearly all seen) it waits for the earliest plausible finish, then polls every `minMs` among the renders
 * seen finishing, at a public client's pace once it outlasts them, slowing as the overrun grows, and more sparsely
 * still while nothing has finished at all.
 */
export function nextPollDelay(
	elapsedMs: number,
	renderTimes: RenderTimeDistribution,
	minMs: number,
	maxMs: number,
): number {
	const clamp = (ms: number) => Math.round(Math.min(maxMs, Math.max(minMs, ms)));
	if (canAim(elapsedMs, renderTimes)) return clamp(untilLikelyFinish(elapsedMs, renderTimes, minMs, maxMs));
	const enoughHistory = renderTimes.learned && renderTimes.size >= SAMPLES_TO_AIM;
	// Outlasting a few renders, or the last of a burst's, is not yet a stuck task: it may just be a slow one.
	const graceMs = (renderTimes.longestMs - renderTimes.earliestMs) / 2;
	const pastSeenMs = elapsedMs - renderTimes.longestMs - graceMs;
	const untilEarliestMs = renderTimes.earliestMs - elapsedMs;
	// Once renders are seen finishing, a job among them is where its kind finishes: as dense as an aimed poll, until it
	// outlasts them. A thin history is mostly a burst's fastest (its slower jobs still running, their finishes not yet
	// seen), so outlasting it means little until twice its longest.
	const thinHistory = renderTimes.size < SAMPLES_TO_AIM * THIN_HISTORY_FACTOR;
	const amongSeen = pastSeenMs <= 0 || (thinHistory && elapsedMs <= renderTimes.longestMs * THIN_HISTORY_FACTOR);
	const spacingMs = !renderTimes.learned
		? minMs * COLD_SPACING_FACTOR
		: amongSeen
			? minMs
			: minMs * UNAIMED_SPACING_FACTOR;
	const overrunMs = enoughHistory && !amongSeen ? Math.max(0, pastSeenMs) : 0;
	return clamp(Math.max(spacingMs + overrunMs / OVERRUN_BACKOFF, untilEarliestMs));
}

/**
 * The first query after a restart: at once where a finish is already likely (it may have come while the bot was
 * down), else where one becomes likely, at most `maxMs` ahead; with too little history, at the earliest plausible
 * finish.
 */
export function resumedPollDelay(
	elapsedMs: number,
	renderTimes: RenderTimeDistribution,
	minMs: number,
	maxMs: number,
): number {
	if (canAim(elapsedMs, renderTimes)) return Math.round(untilLikelyFinish(elapsedMs, renderTimes, minMs, maxMs));
	return Math.round(Math.min(maxMs, Math.max(0, renderTimes.earliestMs - elapsedMs)));
}
