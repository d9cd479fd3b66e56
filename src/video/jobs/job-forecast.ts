import type { Clock } from '../../domain/clock.js';
import type { Job } from '../../domain/job.js';
import type { FinishForecast } from '../polling/poll-order.js';
import { type PollIntervals, resumedPollDelay } from '../polling/poll-schedule.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import type { JobStore } from './job-store.js';

export interface JobForecastDeps {
	store: Pick<JobStore, 'get'>;
	estimates: Pick<RenderEstimates, 'distribution' | 'learnedCount'>;
	intervals: PollIntervals;
	now: Clock;
}

/** Where each open job's render will likely end, from the renders learned: what the poller ranks by, and a restart aims at. */
export class JobForecast {
	constructor(private readonly deps: JobForecastDeps) {}

	/** For the poller, once per job it tracks without one (a fresh submit). */
	readonly forecast = async (jobId: string): Promise<FinishForecast | undefined> => {
		const job = await this.deps.store.get(jobId);
		return job ? this.#forecastOf(job) : undefined;
	};

	/**
	 * After a restart: the job's forecast, and its first query where a finish is likely: at once for some, later for
	 * renders far from done.
	 */
	async resumed(job: Job): Promise<{ firstPollAt: number; forecast: FinishForecast }> {
		const { estimates, intervals, now } = this.deps;
		const at = now();
		const renderTimes = await estimates.distribution(job.settings.resolution, job.settings.duration);
		const delay = resumedPollDelay(at - submittedAt(job), renderTimes, intervals.minMs, intervals.maxMs);
		return { firstPollAt: at + delay, forecast: await this.#forecastOf(job) };
	}

	/**
	 * The chance the job is done by a moment, read from its kind's distribution. It is made once per job and follows
	 * what is learned later: when a render has been learned since, the next reading fetches the kind's distribution
	 * again, and uses it once it is there (a store fault keeps the one it had).
	 */
	async #forecastOf(job: Job): Promise<FinishForecast> {
		const { estimates } = this.deps;
		const { resolution, duration } = job.settings;
		const submitted = submittedAt(job);
		let renderTimes = await estimates.distribution(resolution, duration);
		let learnedCount = estimates.learnedCount;
		return (at) => {
			if (learnedCount !== estimates.learnedCount) {
				learnedCount = estimates.learnedCount;
				void estimates.distribution(resolution, duration).then(
					(latest) => {
						renderTimes = latest;
					},
					() => undefined,
				);
			}
			return 1 - renderTimes.survival(at - submitted);
		};
	}
}

const submittedAt = (job: Job) => job.submittedAt ?? job.createdAt;
