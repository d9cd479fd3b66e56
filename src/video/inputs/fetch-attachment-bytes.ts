import type { Dispatcher } from 'undici';
import { UserError } from '../../domain/errors.js';
import type { AttachmentInfo } from './attachment-info.js';
import { DownloadFailedError, DownloadTooLargeError, downloadWithCap } from './download.js';
import { formatMegabytes } from './format-megabytes.js';

export interface FetchAttachmentOptions {
	/** Files must be under this size. */
	maxBytes: number;
	tooLargeKey: 'input.imageTooLarge' | 'input.videoTooLarge';
	downloadTimeoutMs: number;
	firstBytesOnly?: number;
	into?: Buffer;
	dispatcher?: Dispatcher | undefined;
}

/** Downloads an attachment's bytes, turning every size and download problem into a message for the member. */
export async function fetchAttachmentBytes(
	attachment: AttachmentInfo,
	optionName: string,
	options: FetchAttachmentOptions,
): Promise<Uint8Array> {
	const tooLarge = (sizeBytes: number) =>
		new UserError(options.tooLargeKey, {
			name: optionName,
			sizeMb: formatMegabytes(sizeBytes),
			maxMb: formatMegabytes(options.maxBytes),
		});

	if (attachment.size === 0) throw new UserError('input.attachmentEmpty', { name: optionName });
	if (attachment.size !== null && attachment.size >= options.maxBytes) throw tooLarge(attachment.size);

	let bytes: Uint8Array;
	try {
		bytes = await downloadWithCap(attachment.url, {
			maxBytes: options.maxBytes - 1,
			timeoutMs: options.downloadTimeoutMs,
			...(options.firstBytesOnly !== undefined && { firstBytesOnly: options.firstBytesOnly }),
			...(options.into !== undefined && { into: options.into }),
			dispatcher: options.dispatcher,
		});
	} catch (error) {
		if (error instanceof DownloadTooLargeError) throw tooLarge(error.atLeastBytes);
		if (error instanceof DownloadFailedError)
			throw new UserError('input.downloadFailed', { name: optionName }, { cause: error });
		throw error;
	}
	if (bytes.length === 0) throw new UserError('input.attachmentEmpty', { name: optionName });
	return bytes;
}
