/**
 * Queries are granted a little further apart than the budget allows: a start is not an arrival, and network jitter
 * could otherwise put one query too many inside some second at the provider.
 */
export const SPACING_MARGIN = 0.1;

/** At most `permits` status queries in any window of `windowMs`, counted across every process on the API key. */
export interface BudgetWindow {
	permits: number;
	windowMs: number;
}

/**
 * The shared window for a budget of `queriesPerSecond`. Whole queries only: a budget of 2.5 grants 2 per second, as
 * 3 in one second would overspend it; a budget below 1 grants one query per `1 / queriesPerSecond` seconds. The
 * window is widened by the same margin as the in-process spacing.
 */
export function budgetWindow(queriesPerSecond: number): BudgetWindow {
	const permits = Math.max(1, Math.floor(queriesPerSecond));
	const secondsPerWindow = queriesPerSecond >= 1 ? 1 : 1 / queriesPerSecond;
	return { permits, windowMs: Math.ceil(secondsPerWindow * 1000 * (1 + SPACING_MARGIN)) };
}
