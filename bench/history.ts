import { openStore } from '../src/storage/store.js';
import { RenderEstimates } from '../src/video/polling/render-estimates.js';
import type { JobSpec } from './workload.js';

/** Writes past renders into the bot's store before it starts, as a bot that has run for a while would have. */
export async function seedHistory(databaseUrl: string, pastJobs: JobSpec[]): Promise<void> {
	const store = openStore(databaseUrl);
	const estimates = new RenderEstimates(store);
	for (const job of pastJobs) {
		await estimates.record(job.resolution, job.duration, Math.round((job.queueMs + job.renderMs) / 1000));
	}
	await store.disconnect();
}
