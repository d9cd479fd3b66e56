/** `[shard_id, num_shards]`, as a client gives it in IDENTIFY and Discord echoes it in READY. */
export type ShardPair = readonly [shardId: number, numShards: number];

/** A client that sends no `shard` runs the whole bot on one connection. */
const UNSHARDED: ShardPair = [0, 1];

/** Discord's routing: a guild's events go to shard `(guild_id >> 22) % num_shards`. */
export function shardOfGuild(guildId: string, numShards: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(numShards));
}

/** Events outside any guild (DMs, interactions in DMs) go to shard 0, as at Discord. */
export function receivesGuild([shardId, numShards]: ShardPair, guildId: string | undefined): boolean {
	return guildId === undefined ? shardId === 0 : shardOfGuild(guildId, numShards) === shardId;
}

/** The pair IDENTIFY asked for, or undefined for one Discord closes with 4010 Invalid shard. */
export function identifiedShard(shard: unknown): ShardPair | undefined {
	if (shard === undefined) return UNSHARDED;
	if (!Array.isArray(shard) || shard.length !== 2 || !shard.every((n) => Number.isSafeInteger(n))) return undefined;
	const [shardId, numShards] = shard as [number, number];
	return numShards >= 1 && shardId >= 0 && shardId < numShards ? [shardId, numShards] : undefined;
}

/** The guild an event belongs to: its `guild_id`, or for GUILD_CREATE, GUILD_UPDATE and GUILD_DELETE the guild's own id. */
export function guildOfEvent(eventName: string, data: unknown): string | undefined {
	if (typeof data !== 'object' || data === null) return undefined;
	const { guild_id: guildId, id } = data as { guild_id?: unknown; id?: unknown };
	if (typeof guildId === 'string') return guildId;
	return eventName.startsWith('GUILD_') && typeof id === 'string' ? id : undefined;
}
