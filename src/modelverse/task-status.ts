import type { StatusAnswer } from './wire.js';

export type TaskState = 'pending' | 'running' | 'success' | 'failure';

export interface TaskStatus {
	taskId: string;
	state: TaskState;
	rawStatus: string;
	urls: string[];
	errorMessage?: string;
	submitTime?: number;
	finishTime?: number;
	usageSeconds?: number;
	requestId: string;
}

export const SUCCESS_WITHOUT_URLS_MESSAGE = 'The provider reported success but returned no video URL.';

// The page lists four statuses, but other models of the same provider also answer these; anything unknown is
// treated as still in progress so a new status never ends a paid job early.
const STATES_BY_STATUS: Readonly<Record<string, TaskState>> = {
	pending: 'pending',
	queued: 'pending',
	success: 'success',
	succeeded: 'success',
	failure: 'failure',
	failed: 'failure',
	expired: 'failure',
	cancelled: 'failure',
	canceled: 'failure',
};

export function normaliseTaskState(rawStatus: string): TaskState {
	return STATES_BY_STATUS[rawStatus.trim().toLowerCase()] ?? 'running';
}

export function toTaskStatus({ output, usage, request_id }: StatusAnswer): TaskStatus {
	const urls = (output.urls ?? []).filter((url) => url.length > 0);
	const reported = normaliseTaskState(output.task_status);
	const successWithoutUrls = reported === 'success' && urls.length === 0;
	const errorMessage = successWithoutUrls ? SUCCESS_WITHOUT_URLS_MESSAGE : output.error_message || undefined;
	return {
		taskId: output.task_id,
		state: successWithoutUrls ? 'failure' : reported,
		rawStatus: output.task_status,
		urls,
		requestId: request_id ?? '',
		...(errorMessage !== undefined && { errorMessage }),
		...(output.submit_time != null && { submitTime: output.submit_time }),
		...(output.finish_time != null && { finishTime: output.finish_time }),
		...(usage?.duration != null && { usageSeconds: usage.duration }),
	};
}
