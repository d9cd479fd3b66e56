/**
 * Queries are granted a little further apart than the budget allows: a start is not an arrival, and network jitter
 * could otherwise put one query too many inside some second at the provider.
 */
export const SPACING_MARGIN = 0.1;

/** At most `permits` status queries in any window of `windowMs`, counted across every process on the API key. */
export interface BudgetWindow {
	permits: number;
	windowMs: number;
	/**
	 * How soon after its grant a query must leave. `permits + 1` grants spaced `windowMs / permits` apart span
	 * `windowMs`, the budget's own window widened by the margin: so long as no query leaves later than the margin after
	 * its grant, no window of the budget at the provider receives more than `permits`. Half the margin is this side's;
	 * the other half is left to the network.
	 */
	sendWithinMs: number;
}

/**
 * The shared window for a budget of `queriesPerSecond`. Whole queries only: a budget of 2.5 grants 2 per second, as
 * 3 in one second would overspend it; a budget below 1 grants one query per `1 / queriesPerSecond` seconds. The
 * window is widened by the same margin as the in-process spacing.
 */
export function budgetWindow(queriesPerSecond: number): BudgetWindow {
	const permits = Math.max(1, Math.floor(queriesPerSecond));
	const secondsPerWindow = queriesPerSecond >= 1 ? 1 : 1 / queriesPerSecond;
	const windowMs = Math.ceil(secondsPerWindow * 1000 * (1 + SPACING_MARGIN));
	return { permits, windowMs, sendWithinMs: Math.floor((windowMs - secondsPerWindow * 1000) / 2) };
}
