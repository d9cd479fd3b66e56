import type { Sharp } from 'sharp';
import { UserError } from '../../domain/errors.js';
import type { AcceptedImageType } from './media-types.js';

/**
 * The provider's largest output is 1080p, 1920 px on its long side, and its notes ask for larger images to be scaled
 * down to 1920 px: more pixels only cost memory, upload time and the provider's time.
 */
const LONGEST_SIDE_PX = 1920;
// Photos straight from cameras often carry small flaws every viewer (and the provider) shrugs off.
const DECODE_FAILS_ON = 'error';

export interface ImageSize {
	width: number;
	height: number;
}

/** The size to scale an image to, or undefined when it already fits and goes out byte for byte as it came. */
export function scaledSize({ width, height }: ImageSize, longestSide = LONGEST_SIDE_PX): ImageSize | undefined {
	const longest = Math.max(width, height);
	if (longest <= longestSide) return undefined;
	const scale = longestSide / longest;
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

const ENCODERS: Readonly<Record<AcceptedImageType, (image: Sharp) => Sharp>> = {
	'image/png': (image) => image.png(),
	'image/jpeg': (image) => image.jpeg({ quality: 90 }),
	'image/webp': (image) => image.webp({ quality: 90 }),
};

let sharpLoading: Promise<typeof import('sharp').default> | undefined;

/** libvips is loaded with the first image, so a bot that only ever makes text videos never carries it. */
function loadSharp(): Promise<typeof import('sharp').default> {
	sharpLoading ??= import('sharp').then(({ default: sharp }) => {
		// libvips keeps recent operations and their pixels for reuse; each image here is seen once, so it only holds memory.
		sharp.cache(false);
		return sharp;
	});
	return sharpLoading;
}

/**
 * The image as the provider should get it: unchanged when it fits, else scaled down in its own format (PNG stays PNG,
 * JPEG stays JPEG, WebP stays WebP), turned upright first since the EXIF orientation is not carried over. Only the
 * header is read to decide; an image libvips cannot read is refused, as the provider would refuse it.
 */
export async function fitImageForProvider(
	bytes: Uint8Array,
	type: AcceptedImageType,
	optionName: string,
): Promise<Uint8Array> {
	const sharp = await loadSharp();
	const options = { failOn: DECODE_FAILS_ON } as const;
	try {
		const target = scaledSize((await sharp(bytes, options).metadata()).autoOrient);
		if (!target) return bytes;
		return await ENCODERS[type](sharp(bytes, options).autoOrient().resize(target.width, target.height)).toBuffer();
	} catch (error) {
		throw new UserError('input.imageUnreadable', { name: optionName }, { cause: error });
	}
}
