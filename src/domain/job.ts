import type { MessageKey, MessageParams, SupportedLocale } from '../i18n/index.js';
import type { VideoMode, VideoSettings } from './video.js';

/**
 * `in_line`: its credits are held and its submit body stored, but the member or the server already runs as many jobs
 * as they may at once, so it waits its turn (see the server's line in the credit ledger). `cancelled`: ended from the
 * line by its Cancel button, before anything was sent. `waiting`: nothing was sent to the provider yet (just stored, or the provider said 429), so a submit is safe;
 * `submitting`: a submit may be on its way, so its outcome is unknown until the provider answers. `delivering`: the
 * provider made (and billed) the video; it is being posted. `expired`: made and billed, but its link died before
 * Discord took it.
 */
export const OPEN_JOB_STATES = ['in_line', 'waiting', 'submitting', 'queued', 'rendering', 'delivering'] as const;
const ENDED_JOB_STATES = ['succeeded', 'failed', 'timed_out', 'expired', 'cancelled'] as const;
export type OpenJobState = (typeof OPEN_JOB_STATES)[number];
export type EndedJobState = (typeof ENDED_JOB_STATES)[number];
export type JobState = OpenJobState | EndedJobState;
export const JOB_STATES = [...OPEN_JOB_STATES, ...ENDED_JOB_STATES] as const;

export interface InteractionRef {
	applicationId: string;
	token: string;
	/** Discord kills interaction tokens after 15 minutes; past this the job uses its own channel messages. */
	expiresAt: number;
	attachmentSizeLimit: number;
}

export interface JobResult {
	providerUrl: string;
	/** When the provider's URL stops working (about a day after the render): delivery is tried until then. */
	expiresAt: number;
	/** Where the video was posted; absent when Discord refused every route and only `/video jobs` shows it. */
	posted?: { channelId: string; messageId: string };
	/** True when the video was posted as a link: over the upload limit, or its upload refused. */
	linkOnly: boolean;
	/** Discord refused the upload for a reason other than its size. */
	uploadRefused?: true;
}

export interface JobFailure {
	key: MessageKey;
	params: MessageParams;
}

/** Credits held for a job; returns go to the period they were charged in, even after a reset boundary. */
export interface CreditReservation {
	jobId: string;
	guildId: string;
	userId: string;
	cost: number;
	periodKey: string;
	monthKey: string;
}

export interface Job {
	id: string;
	guildId: string;
	channelId: string;
	userId: string;
	locale: SupportedLocale;
	mode: VideoMode;
	prompt: string;
	settings: VideoSettings;
	cost: number;
	/** Where the inputs came from, for thumbnails and for Reroll; the Base64 itself is kept only until submit. */
	inputUrls: string[];
	/** The input images as they were checked, so Reroll can fetch and check them again. */
	inputImages: Array<{ url: string; bytes: number; contentType: string }>;
	state: JobState;
	createdAt: number;
	updatedAt: number;
	submittedAt?: number;
	renderStartedAt?: number;
	finishedAt?: number;
	deadlineAt: number;
	taskId?: string;
	requestId?: string;
	interaction: InteractionRef;
	reservation: CreditReservation;
	/**
	 * The process that follows the job (polls, sends, posts): its owner id. Absent on records from before owners were
	 * stored: such an orphan is adopted by the first process to start on the store.
	 */
	owner?: string;
	/** Its place in its server's line (1 is next), while it is `in_line`; kept as last shown once it leaves. */
	linePosition?: number;
	/** The bot's own progress message, once the interaction reply can no longer be edited. */
	progressMessageId?: string;
	result?: JobResult;
	failure?: JobFailure;
	renderSeconds?: number;
}

export function isOpen(job: Pick<Job, 'state'>): job is Job & { state: OpenJobState } {
	return (OPEN_JOB_STATES as readonly string[]).includes(job.state);
}

/** The provider billed these jobs (it reported Success), so their credits are kept; every other ending returns them. */
export function keepsCredits(state: JobState): boolean {
	return state === 'delivering' || state === 'succeeded' || state === 'expired';
}
