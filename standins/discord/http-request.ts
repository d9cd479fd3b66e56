import type { IncomingMessage } from 'node:http';
import type { UploadedFile } from './message-composer.js';

export interface ParsedRequest {
	method: string;
	/** The path below `/api/v10` (e.g. `/channels/1/messages`), or the whole path for anything else. */
	path: string;
	underApiV10: boolean;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
	files: UploadedFile[];
	multipart: boolean;
	/** Discord answers 50109 to a body that is not JSON. */
	invalidJson: boolean;
	time: number;
}

const apiPrefix = '/api/v10';

/** discord.js sends `@original` as `%40original`; tests read and match the decoded form. */
function decodedPath(pathname: string): string {
	return pathname
		.split('/')
		.map((segment) => {
			try {
				return decodeURIComponent(segment);
			} catch {
				return segment;
			}
		})
		.join('/');
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
	return Object.fromEntries(
		Object.entries(request.headers).map(([name, value]) => [
			name,
			Array.isArray(value) ? value.join(', ') : (value ?? ''),
		]),
	);
}

const unreadable = Symbol('unreadable JSON');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return unreadable;
	}
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<{ body: unknown; files: UploadedFile[] }> {
	const form = await new Request('http://stand-in.invalid/', {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: new Uint8Array(raw),
	}).formData();
	const fields: Record<string, unknown> = {};
	const files: UploadedFile[] = [];
	let payload: unknown;
	for (const [name, value] of form.entries()) {
		if (typeof value === 'string') {
			if (name === 'payload_json') payload = parseJson(value);
			else fields[name] = value;
		} else {
			const bytes = Buffer.from(await value.arrayBuffer());
			files.push({ name, filename: value.name, contentType: value.type, bytes });
		}
	}
	return { body: payload ?? fields, files };
}

export async function parseRequest(request: IncomingMessage): Promise<ParsedRequest> {
	const time = Date.now();
	const url = new URL(request.url ?? '/', 'http://stand-in.invalid');
	const underApiV10 = url.pathname === apiPrefix || url.pathname.startsWith(`${apiPrefix}/`);
	const headers = flatHeaders(request);
	const raw = await readBody(request);
	const contentType = headers['content-type'] ?? '';
	const multipart = contentType.startsWith('multipart/form-data');
	const base = {
		method: (request.method ?? 'GET').toUpperCase(),
		path: decodedPath(underApiV10 ? url.pathname.slice(apiPrefix.length) : url.pathname),
		underApiV10,
		query: Object.fromEntries(url.searchParams),
		headers,
		multipart,
		time,
	};
	const { body, files } = multipart
		? await parseMultipart(raw, contentType)
		: { body: raw.length === 0 ? undefined : parseJson(raw.toString('utf8')), files: [] };
	const invalidJson = body === unreadable;
	return { ...base, body: invalidJson ? raw.toString('utf8') : body, files, invalidJson };
}
