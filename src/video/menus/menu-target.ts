import type { Message } from 'discord.js';
import { parseResultCustomId } from '../custom-ids.js';
import type { AttachmentInfo } from '../inputs/attachment-info.js';

/** What a right-clicked message offers: an image to animate, or a video to extend (a file or one of our results). */
export type MenuTarget =
	| { mode: 'image'; image: AttachmentInfo }
	| { mode: 'extend'; video: AttachmentInfo }
	| { mode: 'extend'; jobId: string };

export type MenuMode = MenuTarget['mode'];

/** Embeds say nothing of a file's size; the download's own cap is what refuses an image too large. */
const SIZE_UNKNOWN = null;

function attachmentOfType(message: Message, type: 'image' | 'video'): AttachmentInfo | undefined {
	const attachment = message.attachments.find((file) => file.contentType?.startsWith(`${type}/`) === true);
	if (!attachment) return undefined;
	return {
		url: attachment.url,
		filename: attachment.name,
		size: attachment.size,
		contentType: attachment.contentType,
	};
}

/**
 * An embed's image through Discord's media proxy when it has one: the proxy serves what Discord already fetched,
 * so the bot never reaches out to whatever host a message's author linked.
 */
function embedImage(message: Message): AttachmentInfo | undefined {
	for (const embed of message.embeds) {
		const image = embed.image ?? embed.thumbnail;
		if (image) return { url: image.proxyURL ?? image.url, filename: 'image', size: SIZE_UNKNOWN, contentType: null };
	}
	return undefined;
}

/** One of the bot's own results: its buttons carry the job id, so the stored result can be found again. */
function resultJobId(message: Message, botUserId: string): string | undefined {
	if (message.author.id !== botUserId) return undefined;
	for (const row of message.components) {
		if (!('components' in row)) continue;
		for (const component of row.components) {
			const customId = 'customId' in component ? component.customId : null;
			const parsed = customId ? parseResultCustomId(customId) : undefined;
			if (parsed) return parsed.jobId;
		}
	}
	return undefined;
}

export function imageTarget(message: Message): MenuTarget | undefined {
	const image = attachmentOfType(message, 'image') ?? embedImage(message);
	return image ? { mode: 'image', image } : undefined;
}

/** The bot's own result first: its attachment URL expires, the provider's stored one is what Extend continues. */
export function videoTarget(message: Message, botUserId: string): MenuTarget | undefined {
	const jobId = resultJobId(message, botUserId);
	if (jobId) return { mode: 'extend', jobId };
	const video = attachmentOfType(message, 'video');
	return video ? { mode: 'extend', video } : undefined;
}
