export const RESOLUTIONS = ['360p', '540p', '720p', '1080p'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '2:3', '3:2', '21:9'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const VIDEO_MODES = ['text', 'image', 'frames', 'extend'] as const;
export type VideoMode = (typeof VIDEO_MODES)[number];

export const PROMPT_MAX_LENGTH = 2048;
export const DURATION_MIN = 1;
export const DURATION_MAX = 15;
export const SEED_MAX = 2_147_483_647;
export const IMAGE_MAX_BYTES = 20 * 1024 * 1024;

export interface VideoSettings {
	resolution: Resolution;
	/** Only text jobs carry an aspect ratio: the provider ignores it for every other mode. */
	aspectRatio?: AspectRatio;
	duration: number;
	audio: boolean;
	seed: number;
}

export const DEFAULT_SETTINGS = {
	resolution: '720p',
	aspectRatio: '16:9',
	duration: 5,
	audio: false,
} as const satisfies Omit<Required<VideoSettings>, 'seed'>;

/**
 * An image ready to send: its encoded bytes (as downloaded, or scaled down), kept as bytes until the request is
 * written, and where a thumbnail can be shown from (or the provider can fetch it, by setting).
 */
export interface PreparedImage {
	sourceUrl: string;
	contentType: 'image/png' | 'image/jpeg' | 'image/webp';
	data: Buffer;
	/** The attachment's size as downloaded, before any scaling: what Reroll checks it against again. */
	bytes: number;
}

export type VideoInput =
	| { mode: 'text' }
	| { mode: 'image'; image: PreparedImage }
	| { mode: 'frames'; first: PreparedImage; last: PreparedImage }
	| { mode: 'extend'; videoUrl: string };
