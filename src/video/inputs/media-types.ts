const ACCEPTED_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

const ACCEPTED_VIDEO_TYPES = ['video/mp4', 'video/quicktime', 'video/webm'] as const;
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

/** Format names that read the same in every language the bot speaks. */
const FORMAT_NAMES: Readonly<Record<string, string>> = {
	'image/png': 'PNG',
	'image/jpeg': 'JPEG',
	'image/webp': 'WebP',
	'image/gif': 'GIF',
	'image/avif': 'AVIF',
	'image/heic': 'HEIC',
	'image/heif': 'HEIF',
	'image/bmp': 'BMP',
	'image/tiff': 'TIFF',
	'image/svg+xml': 'SVG',
	'video/mp4': 'MP4',
	'video/quicktime': 'MOV',
	'video/webm': 'WebM',
	'video/matroska': 'MKV',
	'video/3gpp': '3GP',
	'video/x-msvideo': 'AVI',
	'audio/mpeg': 'MP3',
	'application/pdf': 'PDF',
	'application/zip': 'ZIP',
	'text/plain': 'TXT',
};

/** Lower-cases a declared Content-Type, drops its parameters (`; charset=…`) and folds aliases. */
export function normalizeMediaType(declared: string | null | undefined): string | undefined {
	const essence = declared?.split(';')[0]?.trim().toLowerCase();
	if (!essence) return undefined;
	return ALIASES[essence] ?? essence;
}

export function formatName(mime: string): string {
	return FORMAT_NAMES[mime] ?? mime;
}

export function isAcceptedImageType(mime: string): mime is AcceptedImageType {
	return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(mime);
}

export function isAcceptedVideoType(mime: string): mime is AcceptedVideoType {
	return (ACCEPTED_VIDEO_TYPES as readonly string[]).includes(mime);
}
