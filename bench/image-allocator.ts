import { readFileSync } from 'node:fs';

/**
 * The memory allocator settings the production image gives the bot (`ENV MALLOC_…` in the Dockerfile), read from
 * there so the bench measures the bot as it runs in production and cannot drift from it.
 */
export function imageAllocatorSettings(): Record<string, string> {
	const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
	return Object.fromEntries([...dockerfile.matchAll(/\b(MALLOC_\w+)=(\S+)/g)].map(([, name, value]) => [name, value]));
}
