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
import { prepareImage } from '../inputs/prepare-image.js';
import { normalizePrompt } from '../inputs/prompt.js';
import { checkPublicVideoUrl } from '../inputs/public-video-url.js';
import type { JobService } from '../jobs/job-service.js';

function attachmentInfo(interaction: ChatInputCommandInteraction, name: string): AttachmentInfo {
	const attachment: Attachment | null = interaction.options.getAttachment(name);
	if (!attachment) throw new UserError('input.attachmentMissing', { name });
	return { url: attachment.url, filename: name, size: attachment.size, contentType: attachment.contentType };
}

async function readInput(
	interaction: ChatInputCommandInteraction,
	mode: VideoMode,
	limits: DownloadSettings,
): Promise<VideoInput> {
	const image = (name: string) =>
		prepareImage(attachmentInfo(interaction, name), name, {
			downloadTimeoutMs: limits.downloadTimeoutMs,
			dispatcher: limits.dispatcher,
		});
	switch (mode) {
		case 'text':
			return { mode };
		case 'image':
			return { mode, image: await image('image') };
		case 'frames': {
			const [first, last] = await Promise.all([image('first'), image('last')]);
			return { mode, first, last };
		}
		case 'extend': {
			const hasVideo = interaction.options.getAttachment('video') !== null;
			const url = interaction.options.getString('url');
			if (hasVideo === (url !== null)) throw new UserError('input.extendNeedsOne');
			const videoUrl = hasVideo
				? await checkVideoAttachment(attachmentInfo(interaction, 'video'), 'video', {
						maxBytes: limits.maxVideoBytes,
						downloadTimeoutMs: limits.downloadTimeoutMs,
						dispatcher: limits.dispatcher,
					})
				: checkPublicVideoUrl(url ?? '');
			return { mode, videoUrl };
		}
	}
}

/** `/video text|image|frames|extend`: reads and checks the options, then hands the job to the job service. */
export function createVideoHandler(
	mode: VideoMode,
	jobs: JobService,
	defaults: VideoDefaults,
	limits: DownloadSettings,
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
			const input = await readInput(interaction, mode, limits);
			await jobs.accept({
				guildId,
				channelId: interaction.channelId,
				userId: interaction.user.id,
				roleIds: memberRoleIds(interaction),
				locale,
				prompt,
				settings,
				input,
				interaction: interactionRef(interaction),
			});
		},
	};
}
