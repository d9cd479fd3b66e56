import type { Job } from '../../src/domain/job.js';

/** A queued text job as the store holds it, `job-1` of one member; `overrides` change any field. */
export function aJob(overrides: Partial<Job> = {}): Job {
	const reservation = {
		jobId: 'job-1',
		guildId: '400000000000000001',
		userId: '310000000000000001',
		cost: 9,
		periodKey: 'month:2026-12',
		monthKey: '2026-12',
	};
	return {
		id: 'job-1',
		guildId: reservation.guildId,
		channelId: '500000000000000001',
		userId: reservation.userId,
		locale: 'en-US',
		mode: 'text',
		prompt: 'a kite over dunes',
		settings: { resolution: '720p', aspectRatio: '16:9', duration: 5, audio: false, seed: 7 },
		cost: 9,
		inputUrls: [],
		inputImages: [],
		state: 'queued',
		createdAt: 1_000,
		updatedAt: 1_000,
		deadlineAt: 1_000 + 45 * 60_000,
		taskId: 'task-1',
		interaction: { applicationId: '600000000000000001', token: 'token', expiresAt: 901_000, attachmentSizeLimit: 1 },
		reservation,
		...overrides,
	};
}
