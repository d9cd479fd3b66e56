export interface BackoffOptions {
	baseMs: number;
	maxMs: number;
}

/** "Full jitter": a random wait up to the exponential ceiling, so many pollers that failed together spread out. */
export function fullJitterDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random = Math.random): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
	return Math.floor(random() * ceiling);
}
