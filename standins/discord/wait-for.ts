const recheckIntervalMs = 10;

/**
 * Resolves with the predicate's first truthy value. It is re-checked whenever `subscribe` signals
 * (every request the stand-in answers) and on a short interval, for changes that come from elsewhere.
 */
export function waitForCondition<T>(
	predicate: () => T | undefined | null | false,
	timeoutMs: number,
	subscribe: (recheck: () => void) => () => void,
	describeState: () => string,
): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let lastError: unknown;
		let settled = false;
		const cleanups: Array<() => void> = [];
		const finish = (outcome: () => void) => {
			if (settled) return;
			settled = true;
			for (const cleanup of cleanups) cleanup();
			outcome();
		};
		const check = () => {
			if (settled) return;
			try {
				const value = predicate();
				if (value) finish(() => resolve(value));
			} catch (error) {
				lastError = error;
			}
		};
		const interval = setInterval(check, recheckIntervalMs);
		const timeout = setTimeout(() => {
			const cause = lastError === undefined ? '' : `\nThe predicate last threw: ${String(lastError)}`;
			finish(() => reject(new Error(`waitFor gave up after ${timeoutMs} ms.${cause}\n${describeState()}`)));
		}, timeoutMs);
		cleanups.push(
			() => clearInterval(interval),
			() => clearTimeout(timeout),
			subscribe(check),
		);
		check();
	});
}
