import { defineConfig } from 'vitest/config';

/** Several bot processes sharing PostgreSQL and Redis, servers the suite starts itself on loopback. */
export default defineConfig({
	test: {
		include: ['test/scale/**/*.test.ts'],
		testTimeout: 120_000,
		hookTimeout: 120_000,
		pool: 'forks',
		// The servers and bot processes of one file are heavy enough: files run one after another.
		fileParallelism: false,
	},
});
