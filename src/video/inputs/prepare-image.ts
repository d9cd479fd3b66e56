import type { Dispatcher } from 'undici';
import { IMAGE_MAX_BYTES, type PreparedImage } from '../../domain/video.js';
import type { AttachmentInfo } from './attachment-info.js';
import { checkMediaType } from './check-media-type.js';
import { fetchAttachmentBytes } from './fetch-attachment-bytes.js';

export interface PrepareImageOptions {
	maxBytes?: number;
	downloadTimeoutMs: number;
	dispatcher?: Dispatcher | undefined;
}

export async function prepareImage(
	attachment: AttachmentInfo,
	optionName: string,
	options: PrepareImageOptions,
): Promise<PreparedImage> {
	const bytes = await fetchAttachmentBytes(attachment, optionName, {
		maxBytes: options.maxBytes ?? IMAGE_MAX_BYTES,
		tooLargeKey: 'input.imageTooLarge',
		downloadTimeoutMs: options.downloadTimeoutMs,
		dispatcher: options.dispatcher,
	});
	const contentType = await checkMediaType(bytes, attachment.contentType, optionName, 'image');
	return {
		sourceUrl: attachment.url,
		contentType,
		base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
		bytes: bytes.byteLength,
	};
}
