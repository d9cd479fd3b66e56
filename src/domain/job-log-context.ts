import type { Job } from './job.js';

/** What every log line about a job carries, so an operator can follow it and match it to the provider's records. */
export function jobLogContext(job: Pick<Job, 'id' | 'guildId' | 'taskId' | 'requestId'>) {
	return { jobId: job.id, guildId: job.guildId, taskId: job.taskId, requestId: job.requestId };
}
