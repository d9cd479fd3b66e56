import { fileTypeFromBuffer } from 'file-type';
import { isAcceptedImageType, isAcceptedVideoType, normalizeMediaType } from './media-types.js';

const TEXT_SNIFF_BYTES = 4096;

export interface SniffedMedia {
	mime: string;
	kind: 'image' | 'video' | 'other';
}

/** What the bytes are, whatever the file claims; `undefined` when the format is not recognised. */
export async function sniffMedia(bytes: Uint8Array): Promise<SniffedMedia | undefined> {
	const detected = await fileTypeFromBuffer(bytes);
	const mime = normalizeMediaType(detected?.mime) ?? (looksLikeText(bytes) ? 'text/plain' : undefined);
	if (mime === undefined) return undefined;
	if (isAcceptedImageType(mime)) return { mime, kind: 'image' };
	if (isAcceptedVideoType(mime)) return { mime, kind: 'video' };
	return { mime, kind: 'other' };
}

// file-type has no signature for text, yet "a text file renamed .png" is the commonest lie and deserves a clear name.
function looksLikeText(bytes: Uint8Array): boolean {
	const head = bytes.subarray(0, TEXT_SNIFF_BYTES);
	if (head.length === 0 || head.includes(0)) return false;
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
		return true;
	} catch {
		return false;
	}
}
