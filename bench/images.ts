import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { seededRandom } from './workload.js';

const CACHE = fileURLToPath(new URL('../node_modules/.cache/pixverse-bench/images/', import.meta.url));
const MEBIBYTE = 1024 * 1024;
/** Discord's and the bot's limit is "under 20 MB"; the images come as close to it as a member's could. */
const SIZE_RANGE = { min: 18 * MEBIBYTE, max: 20 * MEBIBYTE };

export interface BenchImage {
	filename: string;
	bytes: Buffer;
	width: number;
	height: number;
}

interface ImageRecipe {
	filename: string;
	width: number;
	height: number;
	/** How far each sample strays from a smooth gradient: noise is what keeps a file large. */
	noise: number;
	encode: (image: Sharp) => Sharp;
}

/**
 * A 12 MP-class PNG and a 24 MP JPEG, each just under 20 MB: a gradient with seeded noise, because a photo's detail
 * is what makes it big and a flat image would compress to nothing. Made once and kept in node_modules/.cache.
 */
const RECIPES: ImageRecipe[] = [
	{ filename: 'first.png', width: 3400, height: 2550, noise: 16, encode: (image) => image.png() },
	{ filename: 'last.jpg', width: 6000, height: 4000, noise: 140, encode: (image) => image.jpeg({ quality: 95 }) },
];

export async function benchImages(): Promise<BenchImage[]> {
	mkdirSync(CACHE, { recursive: true });
	return Promise.all(RECIPES.map(imageFor));
}

async function imageFor(recipe: ImageRecipe): Promise<BenchImage> {
	const path = `${CACHE}${recipe.filename}`;
	if (!existsSync(path)) writeFileSync(path, await recipe.encode(sharp(noisyPixels(recipe), rawOf(recipe))).toBuffer());
	const bytes = readFileSync(path);
	if (bytes.length < SIZE_RANGE.min || bytes.length >= SIZE_RANGE.max) {
		throw new Error(`${path} is ${(bytes.length / MEBIBYTE).toFixed(1)} MiB, not just under 20: delete it to remake`);
	}
	return { filename: recipe.filename, bytes, width: recipe.width, height: recipe.height };
}

function rawOf({ width, height }: ImageRecipe): SharpOptions {
	return { raw: { width, height, channels: 3 } };
}

function noisyPixels({ width, height, noise }: ImageRecipe): Buffer {
	const random = seededRandom(7);
	const pixels = Buffer.allocUnsafe(width * height * 3);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const at = (y * width + x) * 3;
			pixels[at] = Math.min(255, (x * 128) / width + random() * noise);
			pixels[at + 1] = Math.min(255, (y * 128) / height + random() * noise);
			pixels[at + 2] = Math.min(255, 64 + random() * noise);
		}
	}
	return pixels;
}
