import type { Clock } from '../../domain/clock.js';
import type { Job } from '../../domain/job.js';
import type { FinishForecast } from '../polling/poll-order.js';
import { finishForecast, type PollIntervals, resumedPollDelay } from '../polling/poll-schedule.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import type { JobStore } from './job-store.js';

export interface JobForecastDeps {
	store: Pick<JobStore, 'get'>;
	estimates: Pick<RenderEstimates, 'distribution'>;
	intervals: PollIntervals;
	now: Clock;
}

/** Where each open job's render will likely end, from the renders learned: what the poller ranks by, and a restart aims at. */
export class JobForecast {
	constructor(private readonly deps: JobForecastDeps) {}

	readonly forecast = async (jobId: string): Promise<FinishForecast | undefined> => {
		const job = await this.deps.store.get(jobId);
		if (!job) return undefined;
		return finishForecast(await this.#renderTimes(job), submittedAt(job));
	};

	/** After a restart, the first query goes where a finish is likely: at once for some, later for renders far from done. */
	async resumedPollAt(job: Job): Promise<number> {
		const { intervals, now } = this.deps;
		const at = now();
		return at + resumedPollDelay(at - submittedAt(job), await this.#renderTimes(job), intervals.minMs, intervals.maxMs);
	}

	#renderTimes(job: Job) {
		return this.deps.estimates.distribution(job.settings.resolution, job.settings.duration);
	}
}

const submittedAt = (job: Job) => job.submittedAt ?? job.createdAt;
