const discordEpochMs = 1_420_070_400_000n;
let increment = 0n;

export function nextSnowflake(): string {
	increment = (increment + 1n) % 4096n;
	return (((BigInt(Date.now()) - discordEpochMs) << 22n) | increment).toString();
}
