import type { JobFailure } from '../../domain/job.js';
import { ModelverseError } from '../../modelverse/errors.js';

export type SubmitFailure =
	| { retryInMs: number }
	| { failure: JobFailure; mayHaveBilled: boolean; alertOperator: boolean };

/**
 * Decides what a failed submit means for the job. Only an answer proving no task exists (429, connection refused)
 * is tried again; a timeout or 5xx may have created and billed a task, so it is never repeated blindly.
 */
export function classifySubmitFailure(error: unknown, retryDelayMs: number): SubmitFailure {
	if (!(error instanceof ModelverseError)) {
		return { failure: { key: 'job.outcomeUnknown', params: {} }, mayHaveBilled: true, alertOperator: true };
	}
	if (error.nothingCreated && error.retryable) return { retryInMs: Math.max(error.retryAfterMs ?? 0, retryDelayMs) };
	switch (error.kind) {
		case 'bad_request':
			return {
				failure: { key: 'job.refused', params: { reason: error.providerMessage ?? error.message } },
				mayHaveBilled: false,
				alertOperator: false,
			};
		case 'auth':
			return { failure: { key: 'job.authProblem', params: {} }, mayHaveBilled: false, alertOperator: true };
		case 'forbidden':
			return { failure: { key: 'job.spendLimit', params: {} }, mayHaveBilled: false, alertOperator: true };
		default:
			return {
				failure: { key: error.nothingCreated ? 'job.providerDown' : 'job.outcomeUnknown', params: {} },
				mayHaveBilled: !error.nothingCreated,
				alertOperator: true,
			};
	}
}
