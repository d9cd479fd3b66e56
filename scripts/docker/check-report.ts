/** One check that passed, as the Docker checks print them. */
export function pass(message: string): void {
	console.log(`  ok  ${message}`);
}

/** Seconds since `since` (a `performance.now()`), for the checks' timings. */
export function seconds(since: number): string {
	return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
