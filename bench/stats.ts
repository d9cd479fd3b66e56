export function percentile(values: readonly number[], share: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? Number.NaN;
}

/** The most events inside any window of `windowMs`, sliding over every event time. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let best = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
		best = Math.max(best, end - start + 1);
	}
	return best;
}

/**
 * The gaps (ms) between consecutive events inside the window of `windowMs` holding the most events, and the smallest
 * gap anywhere: a window over the limit made of one tight pair says two queries bunched on the way (a stalled event
 * loop), where evenly shrunk gaps would say the spacing itself was short.
 */
export function busiestWindowGaps(times: readonly number[], windowMs: number): { gaps: number[]; smallestGap: number } {
	const sorted = [...times].sort((a, b) => a - b);
	const gapsOf = (from: number, to: number) =>
		sorted.slice(from + 1, to + 1).map((at, index) => Math.round(at - (sorted[from + index] ?? at)));
	let best = { start: 0, end: -1 };
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
		if (end - start > best.end - best.start) best = { start, end };
	}
	return { gaps: gapsOf(best.start, best.end), smallestGap: Math.min(...gapsOf(0, sorted.length - 1)) };
}

/** The most intervals open at once, from their start and end times. */
export function peakOverlap(intervals: ReadonlyArray<{ from: number; to: number }>): number {
	const events = intervals.flatMap(({ from, to }) => [
		{ at: from, step: 1 },
		{ at: to, step: -1 },
	]);
	events.sort((a, b) => a.at - b.at || a.step - b.step);
	let open = 0;
	let peak = 0;
	for (const { step } of events) {
		open += step;
		peak = Math.max(peak, open);
	}
	return peak;
}

/** Events that arrived while the `windowMs` before them already held `limit` events: each one over the limit. */
export function overLimit(times: readonly number[], windowMs: number, limit: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let over = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
		if (end - start >= limit) over++;
	}
	return over;
}
