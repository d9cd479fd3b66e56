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
/** Fewer past renders than this say too little about where the rest will finish (and, in a burst, only the fastest are in). */
const SAMPLES_TO_AIM = 10;
/** With nothing to aim at, poll this many times the shortest interval apart: as often as a public client would. */
const UNAIMED_SPACING_FACTOR = 2;
/** Well past every render seen, each poll waits a quarter of the overrun more, so a stuck task costs little. */
const OVERRUN_BACKOFF = 4;

/**
 * When to look again, from the renders seen before. Every `minMs` while a finish is likely (a render still running
 * has at least `DENSE_HAZARD_PER_SECOND` chance per second of finishing), straight to where that starts when it is
 * further ahead (at most `maxMs`). With too little history to aim (a cold start, or a render outlasting nearly all
 * seen) it waits for the earliest plausible finish, then polls at a steady pace that slows as the overrun grows.
 */
export function nextPollDelay(
	elapsedMs: number,
	renderTimes: RenderTimeDistribution,
	minMs: number,
	maxMs: number,
): number {
	const clamp = (ms: number) => Math.round(Math.min(maxMs, Math.max(minMs, ms)));
	const enoughHistory = renderTimes.learned && renderTimes.size >= SAMPLES_TO_AIM;
	if (!enoughHistory || renderTimes.survival(elapsedMs) * renderTimes.size < 1) {
		// Outlasting a few renders, or the last of a burst's, is not yet a stuck task: it may just be a slow one.
		const graceMs = (renderTimes.longestMs - renderTimes.earliestMs) / 2;
		const overrunMs = enoughHistory ? Math.max(0, elapsedMs - renderTimes.longestMs - graceMs) : 0;
		const untilEarliestMs = renderTimes.earliestMs - elapsedMs;
		return clamp(Math.max(minMs * UNAIMED_SPACING_FACTOR + overrunMs / OVERRUN_BACKOFF, untilEarliestMs));
	}
	const likely = (DENSE_HAZARD_PER_SECOND * minMs) / 1000;
	const step = minMs / SCAN_STEPS_PER_MIN_INTERVAL;
	for (let at = elapsedMs; at < elapsedMs + maxMs; at += step) {
		const running = renderTimes.survival(at);
		const pastHistory = running * renderTimes.size < 1;
		if (pastHistory || (running - renderTimes.survival(at + minMs)) / running >= likely) return clamp(at - elapsedMs);
	}
	return clamp(maxMs);
}
