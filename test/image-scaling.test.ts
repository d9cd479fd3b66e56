import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/domain/errors.js';
import { fitImageForProvider, scaledSize } from '../src/video/inputs/scale-image.js';
import { JPEG, PNG, WEBP } from '../standins/media-fixtures.js';

describe('how large an image is sent', () => {
	it.each([
		[1920, 1080],
		[1080, 1920],
		[1920, 1920],
		[1, 1],
		[640, 480],
	])('%i × %i fits within 1920 px and is sent as it came', (width, height) => {
		expect(scaledSize({ width, height })).toBeUndefined();
	});

	it.each([
		[1921, 1080, 1920, 1079],
		[6000, 4000, 1920, 1280],
		[4000, 6000, 1280, 1920],
		[3400, 2550, 1920, 1440],
		[2000, 2000, 1920, 1920],
		[10_000, 10, 1920, 2],
		[1, 100_000, 1, 1920],
	])(
		'%i × %i is scaled to %i × %i: the long side to 1920 px, the shape kept, no side below 1 px',
		(width, height, toWidth, toHeight) => {
			expect(scaledSize({ width, height })).toEqual({ width: toWidth, height: toHeight });
		},
	);

	it('takes the long side from a different limit when given one', () => {
		expect(scaledSize({ width: 1280, height: 720 }, 640)).toEqual({ width: 640, height: 360 });
	});
});

describe('fitting an image for the provider', () => {
	const solid = (width: number, height: number, channels: 3 | 4 = 3) =>
		sharp({ create: { width, height, channels, background: { r: 200, g: 40, b: 90, alpha: 0.5 } } });

	it.each([
		['PNG', PNG, 'image/png'],
		['JPEG', JPEG, 'image/jpeg'],
		['WebP', WEBP, 'image/webp'],
	] as const)('returns a small %s untouched, the very same bytes', async (_name, bytes, type) => {
		expect(await fitImageForProvider(bytes, type, 'image')).toBe(bytes);
	});

	it.each([
		['png', 'image/png'],
		['jpeg', 'image/jpeg'],
		['webp', 'image/webp'],
	] as const)('scales a large %s down in its own format', async (format, type) => {
		const large = await solid(2500, 1000).toFormat(format).toBuffer();

		const fitted = await fitImageForProvider(large, type, 'image');

		expect(await sharp(fitted).metadata()).toMatchObject({ format, width: 1920, height: 768 });
	});

	it('keeps a PNG’s transparency', async () => {
		const large = await solid(3000, 3000, 4).png().toBuffer();

		const fitted = await sharp(await fitImageForProvider(large, 'image/png', 'image')).metadata();

		expect(fitted).toMatchObject({ width: 1920, height: 1920, hasAlpha: true });
	});

	it('turns a photo upright by its EXIF orientation before scaling, since the orientation is not carried over', async () => {
		// Stored red above blue; orientation 6 shows it turned a quarter clockwise: blue on the left, red on the right.
		const blue = { create: { width: 3000, height: 1000, channels: 3, background: { r: 0, g: 0, b: 255 } } } as const;
		const sideways = await sharp({
			create: { width: 3000, height: 2000, channels: 3, background: { r: 255, g: 0, b: 0 } },
		})
			.composite([{ input: blue, top: 1000, left: 0 }])
			.jpeg()
			.withMetadata({ orientation: 6 })
			.toBuffer();

		const fitted = sharp(await fitImageForProvider(sideways, 'image/jpeg', 'image'));

		expect(await fitted.metadata()).toMatchObject({ width: 1280, height: 1920 });
		expect((await fitted.metadata()).orientation ?? 1).toBe(1);
		const { data } = await fitted.raw().toBuffer({ resolveWithObject: true });
		const colourAt = (x: number, y: number) => [...data.subarray((y * 1280 + x) * 3, (y * 1280 + x) * 3 + 3)];
		expect(colourAt(100, 100)[2]).toBeGreaterThan(200);
		expect(colourAt(1180, 100)[0]).toBeGreaterThan(200);
	});

	it.each([
		['bytes that only look like a JPEG', Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex')],
		['a large PNG cut short', async () => (await solid(3000, 2000).png().toBuffer()).subarray(0, 2000)],
	])('refuses %s as unreadable, naming the option', async (_what, input) => {
		const bytes = typeof input === 'function' ? await input() : input;

		const failure = fitImageForProvider(bytes, bytes[0] === 0xff ? 'image/jpeg' : 'image/png', 'last');

		await expect(failure).rejects.toBeInstanceOf(UserError);
		await expect(failure).rejects.toMatchObject({ key: 'input.imageUnreadable', params: { name: 'last' } });
	});
});
