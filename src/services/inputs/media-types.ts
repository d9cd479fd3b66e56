export const ACCEPTED_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

export const ACCEPTED_VIDEO_TYPES = ['video/mp4', 'video/quicktime', 'video/webm'] as const;
export type AcceptedVideoType = (typeof ACCEPTED_VIDEO_TYPES)[number];

/**
 * Different names for the same format, so a claim and a sniff compare equal. `video/x-m4v` is Apple's name for an
 * MPEG-4 file (what iPhones and iTunes export), so it is an MP4; 3GPP and Matroska stay distinct: they are not
 * formats we promise the provider takes.
 */
const ALIASES: Readonly<Record<string, string>> = {
	'image/jpg': 'image/jpeg',
	'image/pjpeg': 'image/jpeg',
	'image/x-png': 'image/png',
	'video/x-m4v': 'video/mp4',
	'video/mov': 'video/quicktime',
	'video/x-matroska': 'video/matroska',
};

const READABLE_NAMES: Readonly<Record<string, string>> = {
	'image/png': 'a PNG image',
	'image/jpeg': 'a JPEG image',
	'image/webp': 'a WebP image',
	'image/gif': 'a GIF image',
	'image/avif': 'an AVIF image',
	'image/heic': 'a HEIC image',
	'image/heif': 'a HEIF image',
	'image/bmp': 'a BMP image',
	'image/tiff': 'a TIFF image',
	'image/svg+xml': 'an SVG image',
	'video/mp4': 'an MP4 video',
	'video/quicktime': 'a MOV video',
	'video/webm': 'a WebM video',
	'video/matroska': 'an MKV video',
	'video/3gpp': 'a 3GP video',
	'video/x-msvideo': 'an AVI video',
	'audio/mpeg': 'an MP3 file',
	'application/pdf': 'a PDF',
	'application/zip': 'a ZIP archive',
	'text/plain': 'plain text',
};

/** Lower-cases a declared Content-Type, drops its parameters (`; charset=…`) and folds aliases. */
export function normalizeMediaType(declared: string | null | undefined): string | undefined {
	const essence = declared?.split(';')[0]?.trim().toLowerCase();
	if (!essence) return undefined;
	return ALIASES[essence] ?? essence;
}

export function describeMediaType(mime: string | undefined): string {
	if (mime === undefined) return 'not a known file type';
	return READABLE_NAMES[mime] ?? `a file of type ${mime}`;
}

export function isAcceptedImageType(mime: string): mime is AcceptedImageType {
	return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(mime);
}

export function isAcceptedVideoType(mime: string): mime is AcceptedVideoType {
	return (ACCEPTED_VIDEO_TYPES as readonly string[]).includes(mime);
}
