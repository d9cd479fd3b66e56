const discordEpochMs = 1_420_070_400_000n;
let increment = 0n;

/** An id carrying its creation time, `at` (ms since the epoch), as every Discord id does. */
export function nextSnowflake(at = Date.now()): string {
	increment = (increment + 1n) % 4096n;
	return (((BigInt(at) - discordEpochMs) << 22n) | increment).toString();
}
