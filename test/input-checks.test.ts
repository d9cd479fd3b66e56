import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/domain/errors.js';
import { IMAGE_MAX_BYTES, PROMPT_MAX_LENGTH } from '../src/domain/video.js';
import type { MessageKey, MessageParams } from '../src/i18n/index.js';
import type { AttachmentInfo } from '../src/video/inputs/attachment-info.js';
import { checkVideoAttachment } from '../src/video/inputs/check-video-attachment.js';
import { DownloadFailedError, DownloadTooLargeError, downloadWithCap } from '../src/video/inputs/download.js';
import { prepareImage } from '../src/video/inputs/prepare-image.js';
import { normalizePrompt } from '../src/video/inputs/prompt.js';
import { checkPublicVideoUrl } from '../src/video/inputs/public-video-url.js';
import { sniffMedia } from '../src/video/inputs/sniff-media.js';
import { GIF, JPEG, M4V, MOV, MP4, PDF, PNG, TEXT, THREE_GP, WEBM, WEBP } from '../standins/media-fixtures.js';

// --- a stand-in for Discord's CDN on 127.0.0.1 ---

interface StreamRecord {
	sent: number;
	total: number;
	/** True when the client closed the connection before the whole body was written. */
	cutShort: boolean;
}

const served = new Map<string, Buffer>();
const requestCounts = new Map<string, number>();
const streams = new Map<string, Promise<StreamRecord>>();
let server: Server;
let baseUrl: string;

async function streamBody(response: ServerResponse, total: number, declared: boolean): Promise<StreamRecord> {
	const chunk = Buffer.alloc(64 * 1024, 7);
	chunk.set(MP4);
	let connectionOpen = true;
	const closed = once(response, 'close').then(() => {
		connectionOpen = false;
	});
	let sent = 0;
	response.writeHead(200, { 'content-type': 'application/octet-stream', ...(declared && { 'content-length': total }) });
	while (sent < total && connectionOpen) {
		const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
		sent += piece.length;
		if (!response.write(piece)) await Promise.race([once(response, 'drain'), closed]);
	}
	if (connectionOpen) response.end();
	await closed;
	return { sent, total, cutShort: !response.writableFinished };
}

function handle(request: IncomingMessage, response: ServerResponse): void {
	const path = request.url ?? '/';
	requestCounts.set(path, (requestCounts.get(path) ?? 0) + 1);
	const body = served.get(path);
	if (body) {
		response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
		return;
	}
	const stream = /^\/(stream|undeclared)\/(\d+)/.exec(path);
	if (stream) {
		streams.set(path, streamBody(response, Number(stream[2]), stream[1] === 'stream'));
		return;
	}
	if (path === '/never-answers') return;
	if (path === '/stalls-mid-body') {
		response.writeHead(200, { 'content-length': 1000 }).write(PNG);
		return;
	}
	response.writeHead(404).end('not found');
}

beforeAll(async () => {
	server = createServer(handle);
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	server.close();
	await once(server, 'close');
});

let nextFileId = 0;
function serve(bytes: Buffer, filename: string, contentType?: string | null): AttachmentInfo {
	const path = `/attachments/${nextFileId++}/${filename}`;
	served.set(path, bytes);
	return { url: `${baseUrl}${path}`, filename, size: bytes.length, ...(contentType !== undefined && { contentType }) };
}

function requestsTo(attachment: AttachmentInfo): number {
	return requestCounts.get(new URL(attachment.url).pathname) ?? 0;
}

async function expectUserError(
	action: Promise<unknown> | (() => unknown),
	key: MessageKey,
	params: MessageParams = {},
) {
	let thrown: unknown;
	try {
		await (typeof action === 'function' ? action() : action);
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(UserError);
	expect(thrown).toMatchObject({ key, params });
}

const IMAGE_OPTIONS = { downloadTimeoutMs: 5_000 };
const VIDEO_OPTIONS = { maxBytes: 100 * 1024 * 1024, downloadTimeoutMs: 5_000 };

describe('recognising media from its bytes', () => {
	it.each([
		['PNG', PNG, { mime: 'image/png', kind: 'image' }],
		['JPEG', JPEG, { mime: 'image/jpeg', kind: 'image' }],
		['WebP', WEBP, { mime: 'image/webp', kind: 'image' }],
		['MP4', MP4, { mime: 'video/mp4', kind: 'video' }],
		['MOV', MOV, { mime: 'video/quicktime', kind: 'video' }],
		['WebM', WEBM, { mime: 'video/webm', kind: 'video' }],
		['an Apple M4V, which is an MP4', M4V, { mime: 'video/mp4', kind: 'video' }],
		['3GP, which we do not promise', THREE_GP, { mime: 'video/3gpp', kind: 'other' }],
		['GIF', GIF, { mime: 'image/gif', kind: 'other' }],
		['PDF', PDF, { mime: 'application/pdf', kind: 'other' }],
		['text', TEXT, { mime: 'text/plain', kind: 'other' }],
	])('%s', async (_name, bytes, expected) => {
		expect(await sniffMedia(bytes)).toEqual(expected);
	});

	it('gives up on bytes it does not know', async () => {
		expect(await sniffMedia(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42]))).toBeUndefined();
		expect(await sniffMedia(new Uint8Array())).toBeUndefined();
	});
});

describe('downloading with a size cap', () => {
	it('returns the whole body when it fits', async () => {
		const { url } = serve(PNG, 'fits.png');
		expect(Buffer.from(await downloadWithCap(url, { maxBytes: PNG.length, timeoutMs: 5_000 }))).toEqual(PNG);
	});

	it('drops the connection as soon as a body of undeclared length outgrows the cap', async () => {
		const path = `/undeclared/${64 * 1024 * 1024}/over-cap`;
		const failure = downloadWithCap(`${baseUrl}${path}`, { maxBytes: 256 * 1024, timeoutMs: 10_000 });
		await expect(failure).rejects.toBeInstanceOf(DownloadTooLargeError);
		const error = (await failure.catch((caught: unknown) => caught)) as DownloadTooLargeError;
		expect(error.atLeastBytes).toBeGreaterThan(256 * 1024);
		expect(error.atLeastBytes).toBeLessThan(1024 * 1024);
		const record = await streams.get(path);
		expect(record?.cutShort).toBe(true);
		expect(record?.sent).toBeLessThan(record?.total ?? 0);
	});

	it('refuses a body declared over the cap without reading it, naming its size', async () => {
		const path = `/stream/${64 * 1024 * 1024}/declared-over-cap`;
		const failure = downloadWithCap(`${baseUrl}${path}`, { maxBytes: 256 * 1024, timeoutMs: 10_000 });
		await expect(failure).rejects.toMatchObject({ name: 'DownloadTooLargeError', atLeastBytes: 64 * 1024 * 1024 });
		const record = await streams.get(path);
		expect(record?.cutShort).toBe(true);
		expect(record?.sent).toBeLessThan(record?.total ?? 0);
	});

	it('returns a body of undeclared length whole', async () => {
		const body = await downloadWithCap(`${baseUrl}/undeclared/${300 * 1024}/fits`, {
			maxBytes: 1024 * 1024,
			timeoutMs: 10_000,
		});
		expect(body.length).toBe(300 * 1024);
		expect(Buffer.from(body.subarray(0, MP4.length))).toEqual(MP4);
	});

	it('stops after the first bytes when only those are wanted', async () => {
		const path = `/stream/${64 * 1024 * 1024}/first-bytes`;
		const head = await downloadWithCap(`${baseUrl}${path}`, {
			maxBytes: 1024 * 1024,
			timeoutMs: 10_000,
			firstBytesOnly: 4096,
		});
		expect(head.length).toBe(4096);
		expect(Buffer.from(head.subarray(0, MP4.length))).toEqual(MP4);
		expect((await streams.get(path))?.cutShort).toBe(true);
	});

	it('reports the status of an answer that is not 2xx', async () => {
		await expect(downloadWithCap(`${baseUrl}/missing.png`, { maxBytes: 1000, timeoutMs: 5_000 })).rejects.toMatchObject(
			{
				name: 'DownloadFailedError',
				status: 404,
			},
		);
	});

	it('fails without a status when nothing listens', async () => {
		const closed = createServer();
		closed.listen(0, '127.0.0.1');
		await once(closed, 'listening');
		const { port } = closed.address() as AddressInfo;
		closed.close();
		await once(closed, 'close');
		const failure = downloadWithCap(`http://127.0.0.1:${port}/x.png`, { maxBytes: 1000, timeoutMs: 5_000 });
		await expect(failure).rejects.toBeInstanceOf(DownloadFailedError);
		await expect(failure).rejects.toMatchObject({ status: undefined });
	});

	it('gives up on a server that never answers', async () => {
		const failure = downloadWithCap(`${baseUrl}/never-answers`, { maxBytes: 1000, timeoutMs: 200 });
		await expect(failure).rejects.toBeInstanceOf(DownloadFailedError);
	});

	it('gives up on a body that stops arriving, keeping the status', async () => {
		const failure = downloadWithCap(`${baseUrl}/stalls-mid-body`, { maxBytes: 10_000, timeoutMs: 300 });
		await expect(failure).rejects.toMatchObject({ name: 'DownloadFailedError', status: 200 });
	});
});

describe('preparing an image attachment', () => {
	it.each([
		['PNG', PNG, 'image/png'],
		['JPEG', JPEG, 'image/jpeg'],
		['WebP', WEBP, 'image/webp'],
	] as const)('accepts a small %s and carries it byte for byte', async (_name, bytes, contentType) => {
		const attachment = serve(bytes, 'picture', contentType);
		expect(await prepareImage(attachment, 'image', IMAGE_OPTIONS)).toEqual({
			sourceUrl: attachment.url,
			contentType,
			data: bytes,
			bytes: bytes.length,
		});
	});

	it('trusts the bytes when the attachment declares no type', async () => {
		for (const contentType of [undefined, null, 'application/octet-stream']) {
			const prepared = await prepareImage(serve(JPEG, 'photo', contentType), 'image', IMAGE_OPTIONS);
			expect(prepared.contentType).toBe('image/jpeg');
		}
	});

	it('accepts common spellings of a declared type', async () => {
		const prepared = await prepareImage(serve(JPEG, 'photo.jpg', 'IMAGE/JPG; charset=binary'), 'image', IMAGE_OPTIONS);
		expect(prepared.contentType).toBe('image/jpeg');
	});

	it('calls out a text file named .png', async () => {
		await expectUserError(
			prepareImage(serve(TEXT, 'notes.png', 'image/png'), 'first', IMAGE_OPTIONS),
			'input.typeMismatch',
			{
				name: 'first',
				claimed: 'PNG',
				actual: 'TXT',
			},
		);
	});

	it('calls out a PNG that claims to be a JPEG', async () => {
		await expectUserError(
			prepareImage(serve(PNG, 'photo.jpg', 'image/jpeg'), 'image', IMAGE_OPTIONS),
			'input.typeMismatch',
			{
				name: 'image',
				claimed: 'JPEG',
				actual: 'PNG',
			},
		);
	});

	it('calls out a PDF that claims to be an image', async () => {
		await expectUserError(
			prepareImage(serve(PDF, 'scan.webp', 'image/webp'), 'last', IMAGE_OPTIONS),
			'input.typeMismatch',
			{
				name: 'last',
				claimed: 'WebP',
				actual: 'PDF',
			},
		);
	});

	it('calls out unknown bytes that claim to be an image', async () => {
		const noise = Buffer.from([0x00, 0x9f, 0x13, 0x37, 0x00, 0x42, 0x00]);
		await expectUserError(
			prepareImage(serve(noise, 'x.png', 'image/png'), 'image', IMAGE_OPTIONS),
			'input.typeMismatchUnknown',
			{ claimed: 'PNG' },
		);
	});

	it.each([
		['a PDF declared as a PDF', PDF, 'application/pdf'],
		['text with no declared type', TEXT, undefined],
		['a video', MP4, 'video/mp4'],
		['a GIF declared as a GIF', GIF, 'image/gif'],
	])('refuses %s as not an image', async (_name, bytes, contentType) => {
		await expectUserError(prepareImage(serve(bytes, 'file', contentType), 'image', IMAGE_OPTIONS), 'input.notImage', {
			name: 'image',
		});
	});

	it('refuses an attachment declared empty without downloading it', async () => {
		const attachment = { ...serve(PNG, 'empty.png', 'image/png'), size: 0 };
		await expectUserError(prepareImage(attachment, 'image', IMAGE_OPTIONS), 'input.attachmentEmpty', { name: 'image' });
		expect(requestsTo(attachment)).toBe(0);
	});

	it('refuses an attachment that turns out empty', async () => {
		const attachment = { ...serve(Buffer.alloc(0), 'empty.png', 'image/png'), size: 10 };
		await expectUserError(prepareImage(attachment, 'image', IMAGE_OPTIONS), 'input.attachmentEmpty', { name: 'image' });
	});

	it('refuses an image declared at 20 MB or more without downloading it', async () => {
		for (const size of [IMAGE_MAX_BYTES, IMAGE_MAX_BYTES + 5 * 1024 * 1024]) {
			const attachment = { ...serve(PNG, 'huge.png', 'image/png'), size };
			await expectUserError(prepareImage(attachment, 'image', IMAGE_OPTIONS), 'input.imageTooLarge', {
				name: 'image',
				sizeMb: size === IMAGE_MAX_BYTES ? '20.0' : '25.0',
				maxMb: '20.0',
			});
			expect(requestsTo(attachment)).toBe(0);
		}
	});

	it('refuses an image whose declared size lied, stopping at the cap', async () => {
		const path = `/stream/${64 * 1024 * 1024}/lying.png`;
		const attachment = { url: `${baseUrl}${path}`, filename: 'lying.png', size: 1234, contentType: 'image/png' };
		await expectUserError(
			prepareImage(attachment, 'image', { ...IMAGE_OPTIONS, maxBytes: 1024 * 1024 }),
			'input.imageTooLarge',
			{ name: 'image', maxMb: '1.0' },
		);
		expect((await streams.get(path))?.cutShort).toBe(true);
	});

	it('takes an image one byte under the limit and refuses one at the limit', async () => {
		const limit = 64 * 1024;
		const underLimit = Buffer.concat([PNG, Buffer.alloc(limit - 1 - PNG.length)]);
		const atLimit = Buffer.concat([PNG, Buffer.alloc(limit - PNG.length)]);
		const options = { ...IMAGE_OPTIONS, maxBytes: limit };
		expect((await prepareImage({ ...serve(underLimit, 'a.png'), size: 1 }, 'image', options)).bytes).toBe(limit - 1);
		await expectUserError(
			prepareImage({ ...serve(atLimit, 'b.png'), size: 1 }, 'image', options),
			'input.imageTooLarge',
		);
	});

	it('says the download failed when Discord answers 404', async () => {
		const attachment = { url: `${baseUrl}/gone.png`, filename: 'gone.png', size: 100, contentType: 'image/png' };
		await expectUserError(prepareImage(attachment, 'first', IMAGE_OPTIONS), 'input.downloadFailed', { name: 'first' });
	});

	it('says the download failed when Discord never answers', async () => {
		const attachment = { url: `${baseUrl}/never-answers`, filename: 'slow.png', size: 100 };
		await expectUserError(prepareImage(attachment, 'image', { downloadTimeoutMs: 200 }), 'input.downloadFailed');
	});
});

describe('checking a video attachment', () => {
	it.each([
		['MP4', MP4, 'video/mp4'],
		['MOV', MOV, 'video/quicktime'],
		['WebM', WEBM, 'video/webm'],
		['M4V', M4V, 'video/x-m4v'],
		['MP4 with no declared type', MP4, undefined],
	])('accepts a %s and returns its URL', async (_name, bytes, contentType) => {
		const attachment = serve(bytes, 'clip', contentType);
		expect(await checkVideoAttachment(attachment, 'video', VIDEO_OPTIONS)).toBe(attachment.url);
	});

	it('reads only the first bytes of a long video', async () => {
		const path = `/stream/${64 * 1024 * 1024}/long.mp4`;
		const attachment = {
			url: `${baseUrl}${path}`,
			filename: 'long.mp4',
			size: 64 * 1024 * 1024,
			contentType: 'video/mp4',
		};
		expect(await checkVideoAttachment(attachment, 'video', VIDEO_OPTIONS)).toBe(attachment.url);
		const record = await streams.get(path);
		expect(record?.cutShort).toBe(true);
		expect(record?.sent).toBeLessThan(record?.total ?? 0);
	});

	it.each([
		['a PDF', PDF, 'application/pdf'],
		['an image', PNG, 'image/png'],
		['a 3GP declared as 3GP', THREE_GP, 'video/3gpp'],
		['text with no declared type', TEXT, undefined],
	])('refuses %s as not a video', async (_name, bytes, contentType) => {
		await expectUserError(
			checkVideoAttachment(serve(bytes, 'file', contentType), 'video', VIDEO_OPTIONS),
			'input.notVideo',
			{
				name: 'video',
			},
		);
	});

	it('calls out an image that claims to be an MP4', async () => {
		await expectUserError(
			checkVideoAttachment(serve(PNG, 'clip.mp4', 'video/mp4'), 'video', VIDEO_OPTIONS),
			'input.typeMismatch',
			{ name: 'video', claimed: 'MP4', actual: 'PNG' },
		);
	});

	it('refuses a video declared too large or empty without downloading it', async () => {
		const tooLarge = { ...serve(MP4, 'big.mp4', 'video/mp4'), size: 150 * 1024 * 1024 };
		await expectUserError(checkVideoAttachment(tooLarge, 'video', VIDEO_OPTIONS), 'input.videoTooLarge', {
			name: 'video',
			sizeMb: '150.0',
			maxMb: '100.0',
		});
		const empty = { ...serve(MP4, 'empty.mp4', 'video/mp4'), size: 0 };
		await expectUserError(checkVideoAttachment(empty, 'video', VIDEO_OPTIONS), 'input.attachmentEmpty', {
			name: 'video',
		});
		expect(requestsTo(tooLarge) + requestsTo(empty)).toBe(0);
	});

	it('says the download failed when Discord answers 404', async () => {
		const attachment = { url: `${baseUrl}/gone.mp4`, filename: 'gone.mp4', size: 100 };
		await expectUserError(checkVideoAttachment(attachment, 'video', VIDEO_OPTIONS), 'input.downloadFailed', {
			name: 'video',
		});
	});
});

describe('a public video URL', () => {
	it.each([
		['https://example.com/clip.mp4', 'https://example.com/clip.mp4'],
		['  https://cdn.example.org/v/clip.mp4?sig=abc#t=3  ', 'https://cdn.example.org/v/clip.mp4?sig=abc#t=3'],
		['HTTPS://Example.COM:443/a b.mp4', 'https://example.com/a%20b.mp4'],
		['https://example.com:8443/clip.webm', 'https://example.com:8443/clip.webm'],
		['https://bücher.example/clip.mp4', 'https://xn--bcher-kva.example/clip.mp4'],
		['https://8.8.8.8/clip.mp4', 'https://8.8.8.8/clip.mp4'],
		['https://[2606:4700:4700::1111]/clip.mp4', 'https://[2606:4700:4700::1111]/clip.mp4'],
		['https://[::ffff:8.8.8.8]/clip.mp4', 'https://[::ffff:808:808]/clip.mp4'],
		['https://localhost.example.com/clip.mp4', 'https://localhost.example.com/clip.mp4'],
		['https://my-internal.example/clip.mp4', 'https://my-internal.example/clip.mp4'],
	])('accepts %s', (raw, normalised) => {
		expect(checkPublicVideoUrl(raw)).toBe(normalised);
	});

	it.each([
		'not a url',
		'',
		'   ',
		'example.com/clip.mp4',
		'//example.com/clip.mp4',
		'https://',
		'https://exa mple.com/',
		'https://999.1.1.1/',
		'https://[::1/',
	])('calls %j not a valid link', async (raw) => {
		await expectUserError(() => checkPublicVideoUrl(raw), 'input.urlInvalid', { url: raw.trim() });
	});

	it('shortens a very long invalid value before showing it', async () => {
		const raw = `not a link ${'x'.repeat(1000)}`;
		let thrown: unknown;
		try {
			checkPublicVideoUrl(raw);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(UserError);
		expect(String((thrown as UserError).params.url).length).toBeLessThanOrEqual(201);
	});

	it.each([
		'https://user:secret@example.com/clip.mp4',
		'https://user@example.com/clip.mp4',
		'https://:secret@example.com/clip.mp4',
	])('refuses credentials in %s, without repeating them', async (raw) => {
		await expectUserError(() => checkPublicVideoUrl(raw), 'input.urlInvalid', { url: 'https://example.com/clip.mp4' });
	});

	it.each([
		'http://example.com/clip.mp4',
		'ftp://example.com/clip.mp4',
		'file:///etc/passwd',
		'data:video/mp4;base64,AAAA',
		'javascript:alert(1)',
		'ws://example.com/clip',
	])('refuses %s as not https', async (raw) => {
		await expectUserError(() => checkPublicVideoUrl(raw), 'input.urlNotHttps');
	});

	it.each([
		// local names
		'https://localhost/clip.mp4',
		'https://LOCALHOST:8443/clip.mp4',
		'https://localhost./clip.mp4',
		'https://ｌｏｃａｌｈｏｓｔ/clip.mp4',
		'https://api.localhost/clip.mp4',
		'https://printer.local/clip.mp4',
		'https://nas.local./clip.mp4',
		'https://metadata.google.internal/computeMetadata/v1/',
		'https://router.home.arpa/clip.mp4',
		'https://home.arpa/clip.mp4',
		'https://intranet/clip.mp4',
		// IPv4 loopback, also as WHATWG rewrites it
		'https://127.0.0.1/clip.mp4',
		'https://127.8.9.10/clip.mp4',
		'https://2130706433/clip.mp4',
		'https://0x7f.1/clip.mp4',
		'https://0177.0.0.1/clip.mp4',
		'https://127.1/clip.mp4',
		// unspecified and broadcast
		'https://0.0.0.0/clip.mp4',
		'https://0/clip.mp4',
		'https://255.255.255.255/clip.mp4',
		// private, CGNAT, link-local, multicast, reserved
		'https://10.0.0.1/clip.mp4',
		'https://10.255.255.255/clip.mp4',
		'https://172.16.0.1/clip.mp4',
		'https://172.31.255.254/clip.mp4',
		'https://192.168.1.1/clip.mp4',
		'https://100.64.0.1/clip.mp4',
		'https://100.127.255.254/clip.mp4',
		'https://169.254.169.254/latest/meta-data/',
		'https://224.0.0.1/clip.mp4',
		'https://240.0.0.1/clip.mp4',
		'https://192.0.2.10/clip.mp4',
		// IPv6
		'https://[::1]/clip.mp4',
		'https://[::]/clip.mp4',
		'https://[0:0:0:0:0:0:0:1]/clip.mp4',
		'https://[::ffff:127.0.0.1]/clip.mp4',
		'https://[::ffff:7f00:1]/clip.mp4',
		'https://[::ffff:10.0.0.1]/clip.mp4',
		'https://[::ffff:169.254.169.254]/clip.mp4',
		'https://[::127.0.0.1]/clip.mp4',
		'https://[fc00::1]/clip.mp4',
		'https://[fd12:3456:789a::1]/clip.mp4',
		'https://[fe80::1]/clip.mp4',
		'https://[febf::1]/clip.mp4',
		'https://[ff02::1]/clip.mp4',
		'https://[64:ff9b::7f00:1]/clip.mp4',
		'https://[2002:7f00:1::]/clip.mp4',
		'https://[2001:db8::1]/clip.mp4',
	])('refuses %s as private', async (raw) => {
		await expectUserError(() => checkPublicVideoUrl(raw), 'input.urlPrivate');
	});

	it('accepts addresses just outside the private ranges', () => {
		expect(checkPublicVideoUrl('https://172.32.0.1/')).toBe('https://172.32.0.1/');
		expect(checkPublicVideoUrl('https://100.128.0.1/')).toBe('https://100.128.0.1/');
		expect(checkPublicVideoUrl('https://11.0.0.1/')).toBe('https://11.0.0.1/');
		expect(() => checkPublicVideoUrl('https://172.16.0.0/')).toThrow(UserError);
	});
});

describe('a prompt', () => {
	it('is trimmed', () => {
		expect(normalizePrompt('  \n\ta cat surfing a wave \u3000 ')).toBe('a cat surfing a wave');
	});

	it.each([undefined, null, '', '   ', '\n\t\u00a0\u3000'])('refuses %j as empty', async (raw) => {
		await expectUserError(() => normalizePrompt(raw), 'input.promptEmpty');
	});

	it('takes exactly 2048 characters, counting an emoji as one', () => {
		const prompt = '🐱'.repeat(PROMPT_MAX_LENGTH);
		expect(prompt.length).toBe(2 * PROMPT_MAX_LENGTH);
		expect(normalizePrompt(` ${prompt} `)).toBe(prompt);
		expect(normalizePrompt('a'.repeat(PROMPT_MAX_LENGTH))).toHaveLength(PROMPT_MAX_LENGTH);
	});

	it('refuses 2049 characters, saying how long it is', async () => {
		await expectUserError(() => normalizePrompt('a'.repeat(PROMPT_MAX_LENGTH + 1)), 'input.promptTooLong', {
			length: 2049,
			max: 2048,
		});
		await expectUserError(() => normalizePrompt(`${'🎬'.repeat(PROMPT_MAX_LENGTH)}x`), 'input.promptTooLong', {
			length: 2049,
			max: 2048,
		});
	});

	it('does not count surrounding whitespace towards the limit', () => {
		expect(normalizePrompt(`   ${'b'.repeat(PROMPT_MAX_LENGTH)}   `)).toHaveLength(PROMPT_MAX_LENGTH);
	});
});
