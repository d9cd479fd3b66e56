import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../../domain/errors.js';
import type { VideoInput, VideoMode } from '../../domain/video.js';
import type { SubcommandHandler } from '../../interactions/context.js';
import { interactionRef } from '../../interactions/interaction-ref.js';
import { memberRoleIds } from '../../interactions/member-role-ids.js';
import type { VideoDefaults } from '../defaults/video-defaults.js';
import type { AttachmentInfo } from '../inputs/attachment-info.js';
import { checkVideoAttachment } from '../inputs/check-video-attachment.js';
import type { DownloadSettings } from '../inputs/download.js';
import type { ImagePreparer } from '../inputs/image-preparer.js';
import { normalizePrompt } from '../inputs/prompt.js';
import { checkPublicVideoUrl } from '../inputs/public-video-url.js';
import type { JobService } from '../jobs/job-service.js';

function attachmentInfo(interaction: ChatInputCommandInteraction, name: string): AttachmentInfo {
	const attachment: Attachment | null = interaction.options.getAttachment(name);
	if (!attachment) throw new UserError('input.attachmentMissing', { name });
	return { url: attachment.url, filename: name, size: attachment.size, contentType: attachment.contentType };
}

/**
 * Checks what can be checked from the options alone, and returns how to fetch the rest: downloads wait until the
 * job's credits are held.
 */
function inputFor(
	interaction: ChatInputCommandInteraction,
	mode: VideoMode,
	{ images, limits }: VideoInputs,
): () => Promise<VideoInput> {
	switch (mode) {
		case 'text':
			return async () => ({ mode });
		case 'image': {
			const image = attachmentInfo(interaction, 'image');
			return async () => ({ mode, image: await images.prepare(image, 'image') });
		}
		case 'frames': {
			const first = attachmentInfo(interaction, 'first');
			const last = attachmentInfo(interaction, 'last');
			// One after the other: a job holds one downloaded original at a time.
			return async () => {
				const firstImage = await images.prepare(first, 'first');
				return { mode, first: firstImage, last: await images.prepare(last, 'last') };
			};
		}
		case 'extend': {
			const hasVideo = interaction.options.getAttachment('video') !== null;
			const url = interaction.options.getString('url');
			if (hasVideo === (url !== null)) throw new UserError('input.extendNeedsOne');
			if (!hasVideo) {
				const videoUrl = checkPublicVideoUrl(url ?? '');
				return async () => ({ mode, videoUrl });
			}
			const video = attachmentInfo(interaction, 'video');
			return async () => ({
				mode,
				videoUrl: await checkVideoAttachment(video, 'video', {
					maxBytes: limits.maxVideoBytes,
					downloadTimeoutMs: limits.downloadTimeoutMs,
					dispatcher: limits.dispatcher,
				}),
			});
		}
	}
}

/** How a command's attachments are fetched: images through the preparer, a video's first bytes directly. */
export interface VideoInputs {
	images: ImagePreparer;
	limits: DownloadSettings;
}

/** `/video text|image|frames|extend`: reads and checks the options, then hands the job to the job service. */
export function createVideoHandler(
	mode: VideoMode,
	jobs: JobService,
	defaults: VideoDefaults,
	inputs: VideoInputs,
): SubcommandHandler {
	return {
		ephemeral: false,
		async execute({ interaction, guildId, locale }) {
			const { options } = interaction;
			const prompt = normalizePrompt(options.getString('prompt'));
			const settings = await defaults.settingsFor(
				interaction.user.id,
				{
					resolution: options.getString('resolution'),
					aspect_ratio: mode === 'text' ? options.getString('aspect_ratio') : null,
					duration: options.getInteger('duration'),
					audio: options.getBoolean('audio'),
					seed: options.getInteger('seed'),
				},
				mode,
			);
			await jobs.accept({
				guildId,
				channelId: interaction.channelId,
				userId: interaction.user.id,
				roleIds: memberRoleIds(interaction),
				locale,
				prompt,
				settings,
				mode,
				prepareInput: inputFor(interaction, mode, inputs),
				interaction: interactionRef(interaction),
			});
		},
	};
}
