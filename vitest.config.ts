import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		// The multi-process suite needs PostgreSQL and Redis servers: `npm run test:scale` runs it on its own.
		exclude: [...configDefaults.exclude, 'test/scale/**'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
	},
});
