import type { Dispatcher } from 'undici';
import { IMAGE_MAX_BYTES, type PreparedImage } from '../../domain/video.js';
import type { AttachmentInfo } from './attachment-info.js';
import { checkMediaType } from './check-media-type.js';
import { fetchAttachmentBytes } from './fetch-attachment-bytes.js';
import { fitImageForProvider } from './scale-image.js';

export interface PrepareImageOptions {
	maxBytes?: number;
	downloadTimeoutMs: number;
	/** A buffer of at least `maxBytes` to download into; it is free again once the image is prepared. */
	into?: Buffer;
	dispatcher?: Dispatcher | undefined;
}

/** Downloads and checks an image, then makes it what the provider gets: scaled down if it is larger than needed. */
export async function prepareImage(
	attachment: AttachmentInfo,
	optionName: string,
	options: PrepareImageOptions,
): Promise<PreparedImage> {
	const downloaded = await fetchAttachmentBytes(attachment, optionName, {
		maxBytes: options.maxBytes ?? IMAGE_MAX_BYTES,
		tooLargeKey: 'input.imageTooLarge',
		downloadTimeoutMs: options.downloadTimeoutMs,
		...(options.into !== undefined && { into: options.into }),
		dispatcher: options.dispatcher,
	});
	const contentType = await checkMediaType(downloaded, attachment.contentType, optionName, 'image');
	const fitted = await fitImageForProvider(downloaded, contentType, optionName);
	return {
		sourceUrl: attachment.url,
		contentType,
		// A copy when it came through unchanged: the download buffer may be reused for the next image.
		data:
			fitted === downloaded
				? Buffer.from(downloaded)
				: Buffer.from(fitted.buffer, fitted.byteOffset, fitted.byteLength),
		bytes: downloaded.byteLength,
	};
}
