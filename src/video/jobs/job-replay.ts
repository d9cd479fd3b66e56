import type { Dispatcher } from 'undici';
import { UserError } from '../../domain/errors.js';
import type { InteractionRef, Job } from '../../domain/job.js';
import type { VideoInput, VideoSettings } from '../../domain/video.js';
import type { SupportedLocale } from '../../i18n/index.js';
import { prepareImage } from '../inputs/prepare-image.js';
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

/** Reroll: the same inputs and settings with a new seed. Images are fetched and checked again from Discord. */
export async function rerollDraft(
	job: Job,
	by: Replayer,
	seed: number,
	download: { downloadTimeoutMs: number; dispatcher: Dispatcher },
): Promise<JobDraft> {
	const images = await Promise.all(
		job.inputImages.map((image, index) =>
			prepareImage(
				{ url: image.url, filename: `image-${index + 1}`, size: image.bytes, contentType: image.contentType },
				index === 0 ? 'first' : 'last',
				download,
			),
		),
	);
	const [first, last] = images;
	let input: VideoInput;
	if (job.mode === 'image' && first) input = { mode: 'image', image: first };
	else if (job.mode === 'frames' && first && last) input = { mode: 'frames', first, last };
	else if (job.mode === 'extend' && job.inputUrls[0]) input = { mode: 'extend', videoUrl: job.inputUrls[0] };
	else input = { mode: 'text' };
	return draftFrom(job, by, { ...job.settings, seed }, input, job.prompt);
}

/** Extend: this job's result becomes the video to continue, with the member's new prompt and extend settings. */
export function extendDraft(job: Job, by: Replayer, settings: VideoSettings, prompt: string, now: number): JobDraft {
	if (!job.result) throw new UserError('button.notReady');
	if (now > job.result.expiresAt - EXTEND_MARGIN_MS) throw new UserError('button.resultExpired');
	return draftFrom(job, by, settings, { mode: 'extend', videoUrl: job.result.providerUrl }, prompt);
}

function draftFrom(job: Job, by: Replayer, settings: VideoSettings, input: VideoInput, prompt: string): JobDraft {
	return {
		guildId: job.guildId,
		channelId: by.channelId,
		userId: by.userId,
		roleIds: by.roleIds,
		locale: by.locale,
		prompt,
		settings,
		input,
		interaction: by.interaction,
	};
}
