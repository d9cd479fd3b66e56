import type { EndedJobState, Job, JobFailure } from '../../domain/job.js';
import type { TaskOutcome } from '../../storage/task-ledger.js';

/**
 * How a job's submit ended for the provider's invoice. A job that never got a task id was refused, unless the
 * provider's answer was lost (then it may have been billed); a result whose link died before it was posted was still
 * made.
 */
export function taskOutcomeOf(job: Pick<Job, 'taskId'>, state: EndedJobState, failure?: JobFailure): TaskOutcome {
	if (state === 'succeeded' || state === 'expired') return 'succeeded';
	if (state === 'timed_out') return 'timed_out';
	if (job.taskId !== undefined) return 'failed';
	return failure?.key === 'job.outcomeUnknown' ? 'unknown' : 'refused';
}
