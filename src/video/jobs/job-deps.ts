import type { CreditReservation } from '../../domain/job.js';
import type { ModelverseClient } from '../../modelverse/client.js';
import type { ImageTransport } from '../../modelverse/wire.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { Delivery } from '../delivery/delivery.js';
import type { Poller } from '../polling/poller.js';
import type { RenderEstimates } from '../polling/render-estimates.js';
import type { ProgressUpdater } from '../progress/progress-updater.js';
import type { JobStore } from './job-store.js';

/** The credit side of a job's life; the quota service implements it. */
export interface JobCredits {
	reserve(request: { guildId: string; userId: string; jobId: string; cost: number }): Promise<CreditReservation>;
	release(reservation: CreditReservation): Promise<unknown>;
	settle(reservation: CreditReservation): Promise<unknown>;
	held(guildId: string): Promise<CreditReservation[]>;
}

export interface JobSettings {
	imageTransport: ImageTransport;
	jobDeadlineMs: number;
	submitRetryDelayMs: number;
	minPollIntervalMs: number;
	maxPollIntervalMs: number;
}

export interface JobDeps {
	store: JobStore;
	credits: JobCredits;
	modelverse: ModelverseClient;
	poller: Poller;
	progress: ProgressUpdater;
	delivery: Delivery;
	estimates: RenderEstimates;
	metrics: BotMetrics;
	logger: Logger;
	settings: JobSettings;
	now: () => number;
}
