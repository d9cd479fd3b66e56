import type { Dispatcher } from 'undici';
import type { AttachmentInfo } from './attachment-info.js';
import { checkMediaType } from './check-media-type.js';
import { fetchAttachmentBytes } from './fetch-attachment-bytes.js';

// Container signatures (ftyp box, EBML header) sit at the very start; the provider fetches the whole file itself.
const VIDEO_SNIFF_BYTES = 4096;

export interface CheckVideoAttachmentOptions {
	maxBytes: number;
	downloadTimeoutMs: number;
	dispatcher?: Dispatcher | undefined;
}

/** Checks an attachment is an MP4, MOV or WebM under the limit and returns its URL for the provider to fetch. */
export async function checkVideoAttachment(
	attachment: AttachmentInfo,
	optionName: string,
	options: CheckVideoAttachmentOptions,
): Promise<string> {
	const head = await fetchAttachmentBytes(attachment, optionName, {
		maxBytes: options.maxBytes,
		tooLargeKey: 'input.videoTooLarge',
		downloadTimeoutMs: options.downloadTimeoutMs,
		firstBytesOnly: VIDEO_SNIFF_BYTES,
		dispatcher: options.dispatcher,
	});
	await checkMediaType(head, attachment.contentType, optionName, 'video');
	return attachment.url;
}
