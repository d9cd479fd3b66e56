import { readFileSync } from 'node:fs';

/**
 * The memory settings the production image gives the bot (`ENV MALLOC_…` for the allocator, `ENV NODE_OPTIONS` for
 * V8, in the Dockerfile), read from there so the bench measures the bot as it runs in production and cannot drift
 * from it.
 */
export function imageAllocatorSettings(): Record<string, string> {
	const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
	const settings = dockerfile.matchAll(/\b(MALLOC_\w+|NODE_OPTIONS)=(\S+)/g);
	return Object.fromEntries([...settings].map(([, name, value]) => [name, value]));
}
