import { describe, expect, it } from 'vitest';
import type { PreparedImage, VideoSettings } from '../src/domain/video.js';
import { parseRetryAfter } from '../src/modelverse/errors.js';
import { buildSubmitBody, encodeSubmitBody, normaliseTaskState, toTaskStatus } from '../src/modelverse/wire.js';

const jpeg: PreparedImage = {
	sourceUrl: 'https://cdn.example.com/cat.jpg',
	contentType: 'image/jpeg',
	data: Buffer.from('/9j/4AAQ', 'base64'),
	bytes: 6,
};
const settings: VideoSettings = { resolution: '1080p', aspectRatio: '1:1', duration: 15, audio: false, seed: 7 };

describe('buildSubmitBody', () => {
	it('sends image URLs instead of Base64 when the operator chose URLs', () => {
		const body = buildSubmitBody('p', settings, { mode: 'frames', first: jpeg, last: jpeg }, 'url');

		expect(body.input).toStrictEqual({ prompt: 'p', first_frame_url: jpeg.sourceUrl, last_frame_url: jpeg.sourceUrl });
	});

	it('carries Base64 images as their bytes and type, for the request to write', () => {
		const body = buildSubmitBody('p', settings, { mode: 'image', image: jpeg }, 'base64');

		expect(body.input).toStrictEqual({ prompt: 'p', img_url: { contentType: 'image/jpeg', data: jpeg.data } });
	});

	it('leaves aspect_ratio out of a text job that has none, and out of every other mode', () => {
		const { aspectRatio: _, ...withoutRatio } = settings;

		expect(buildSubmitBody('p', withoutRatio, { mode: 'text' }, 'url').parameters).not.toHaveProperty('aspect_ratio');
		expect(
			buildSubmitBody('p', settings, { mode: 'extend', videoUrl: 'https://x.example/v.mp4' }, 'url').parameters,
		).not.toHaveProperty('aspect_ratio');
	});
});

describe('encodeSubmitBody', () => {
	const written = (encoded: ReturnType<typeof encodeSubmitBody>) => Buffer.concat([...encoded.pieces()]);
	/** What the body is as JSON once every image is its data URI: what the provider must receive, byte for byte. */
	const asJson = (body: ReturnType<typeof buildSubmitBody>) =>
		JSON.stringify(body, (_key, value: unknown) =>
			typeof value === 'object' && value !== null && 'data' in value && 'contentType' in value
				? `data:${String(value.contentType)};base64,${(value.data as Buffer).toString('base64')}`
				: value,
		);

	it.each([1, 2, 3, 4, 48 * 1024, 48 * 1024 + 1, 150_001])(
		'writes an image of %i bytes as the same JSON text, in pieces, with its exact length',
		(size) => {
			const data = Buffer.alloc(size, 0);
			for (let at = 0; at < size; at++) data[at] = (at * 7919) % 256;
			const image: PreparedImage = { ...jpeg, data, bytes: size };
			const body = buildSubmitBody(
				'"quoted", \\ and 猫 🐈',
				settings,
				{ mode: 'frames', first: image, last: jpeg },
				'base64',
			);

			const encoded = encodeSubmitBody(body);
			const text = written(encoded);

			expect(text.toString('utf8')).toBe(asJson(body));
			expect(encoded.byteLength).toBe(text.length);
		},
	);

	it('writes a body without images exactly as JSON.stringify does', () => {
		const body = buildSubmitBody('p', settings, { mode: 'extend', videoUrl: 'https://x.example/v.mp4' }, 'base64');

		expect(written(encodeSubmitBody(body)).toString('utf8')).toBe(JSON.stringify(body));
	});

	it('writes a body stored before images were kept as bytes, with its data URIs as they are', () => {
		const body = {
			...buildSubmitBody('p', settings, { mode: 'text' }, 'base64'),
			input: { prompt: 'p', img_url: 'data:image/png;base64,AAAA' },
		};

		expect(written(encodeSubmitBody(body)).toString('utf8')).toBe(JSON.stringify(body));
	});
});

describe('task status normalisation', () => {
	it.each([
		['Pending', 'pending'],
		['QUEUED', 'pending'],
		['Running', 'running'],
		['Processing', 'running'],
		['', 'running'],
		['success', 'success'],
		['Succeeded', 'success'],
		['Failure', 'failure'],
		['FAILED', 'failure'],
		['Expired', 'failure'],
		['Cancelled', 'failure'],
		['canceled', 'failure'],
	])('%s is %s', (raw, state) => {
		expect(normaliseTaskState(raw)).toBe(state);
	});

	it('keeps only what the provider gave, reading nulls as absent', () => {
		expect(
			toTaskStatus({
				output: {
					task_id: 't',
					task_status: 'Running',
					urls: null,
					error_message: '',
					submit_time: 1,
					finish_time: null,
				},
				usage: null,
				request_id: null,
			}),
		).toStrictEqual({ taskId: 't', state: 'running', rawStatus: 'Running', urls: [], submitTime: 1, requestId: '' });
	});
});

describe('Retry-After', () => {
	const now = Date.parse('2025-01-01T00:00:00Z');

	it.each([
		['3', 3_000],
		[' 0 ', 0],
		['Wed, 01 Jan 2025 00:00:10 GMT', 10_000],
		['Tue, 31 Dec 2024 23:00:00 GMT', 0],
		['soon', undefined],
		['-1', undefined],
		[undefined, undefined],
	])('%s waits %s ms', (header, expected) => {
		expect(parseRetryAfter(header, now)).toBe(expected);
	});
});
