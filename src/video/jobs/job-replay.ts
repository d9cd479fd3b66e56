import { UserError } from '../../domain/errors.js';
import type { InteractionRef, Job } from '../../domain/job.js';
import type { PreparedImage, VideoInput, VideoSettings } from '../../domain/video.js';
import type { SupportedLocale } from '../../i18n/index.js';
import type { ImagePreparer } from '../inputs/image-preparer.js';
import type { JobDraft } from './job-service.js';

/** The provider reads the video to extend while it renders: the link must outlive a slow render comfortably. */
const EXTEND_MARGIN_MS = 2 * 60 * 60 * 1000;

export interface Replayer {
	userId: string;
	roleIds: readonly string[];
	channelId: string;
	locale: SupportedLocale;
	interaction: InteractionRef;
}

/**
 * Reroll: the same inputs and settings with a new seed. Images are fetched and checked again from Discord, once the
 * new job's credits are held.
 */
export function rerollDraft(job: Job, by: Replayer, seed: number, images: Pick<ImagePreparer, 'prepare'>): JobDraft {
	const image = (index: number): Promise<PreparedImage> => {
		const stored = job.inputImages[index];
		if (!stored) throw new Error(`job ${job.id} has no input image ${index + 1}`);
		const attachment = { url: stored.url, filename: `image-${index + 1}`, size: stored.bytes };
		return images.prepare({ ...attachment, contentType: stored.contentType }, index === 0 ? 'first' : 'last');
	};
	const prepareInput = async (): Promise<VideoInput> => {
		if (job.mode === 'image') return { mode: 'image', image: await image(0) };
		if (job.mode === 'frames') {
			const first = await image(0);
			return { mode: 'frames', first, last: await image(1) };
		}
		if (job.mode === 'extend' && job.inputUrls[0]) return { mode: 'extend', videoUrl: job.inputUrls[0] };
		return { mode: 'text' };
	};
	return draftFrom(job, by, { ...job.settings, seed }, job.mode, prepareInput, job.prompt);
}

/** Extend: this job's result becomes the video to continue, with the member's new prompt and extend settings. */
export function extendDraft(job: Job, by: Replayer, settings: VideoSettings, prompt: string, now: number): JobDraft {
	if (!job.result) throw new UserError('button.notReady');
	if (now > job.result.expiresAt - EXTEND_MARGIN_MS) throw new UserError('button.resultExpired');
	const videoUrl = job.result.providerUrl;
	return draftFrom(job, by, settings, 'extend', async () => ({ mode: 'extend', videoUrl }), prompt);
}

function draftFrom(
	job: Job,
	by: Replayer,
	settings: VideoSettings,
	mode: JobDraft['mode'],
	prepareInput: JobDraft['prepareInput'],
	prompt: string,
): JobDraft {
	return {
		guildId: job.guildId,
		channelId: by.channelId,
		userId: by.userId,
		roleIds: by.roleIds,
		locale: by.locale,
		prompt,
		settings,
		mode,
		prepareInput,
		interaction: by.interaction,
	};
}
