/**
 * The id a process owns jobs under when the operator set no INSTANCE_ID: named after the gateway shards it runs, so
 * the same process started again (same shards) is the same owner and takes its jobs back at once. `auto` (Discord
 * picks the shard count) means one process runs them all.
 */
export function ownerIdOf(shards: number | readonly number[] | 'auto'): string {
	if (shards === 'auto') return 'shards-all';
	const ids = typeof shards === 'number' ? [shards] : [...shards].sort((a, b) => a - b);
	return `shards-${ids.join('-')}`;
}
