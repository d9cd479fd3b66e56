import { STATUS_CODES } from 'node:http';
import type { RESTOptions, ResponseLike } from 'discord.js';
import { Agent, type Dispatcher, Headers, request } from 'undici';

/**
 * One undici Agent of our own, passed to every request explicitly. discord.js bundles a different undici major, and
 * both share one process-wide default dispatcher that the first to load installs; relying on it made uploads fail
 * ("action is not a function") whenever our undici loaded first.
 */
export function createHttpAgent(): Agent {
	return new Agent({ connections: 64, keepAliveTimeout: 10_000 });
}

type MakeRequest = RESTOptions['makeRequest'];
type RequestBody = Parameters<MakeRequest>[1]['body'];

/** Multipart bodies become bytes with their boundary header, which any undici version sends the same way. */
async function encodeBody(body: RequestBody, headers: Headers): Promise<string | Uint8Array | undefined> {
	if (body === null || body === undefined) return undefined;
	if (typeof body === 'string' || body instanceof Uint8Array) return body;
	const encoded = new Response(body as ConstructorParameters<typeof Response>[0]);
	const contentType = encoded.headers.get('content-type');
	if (contentType) headers.set('content-type', contentType);
	return new Uint8Array(await encoded.arrayBuffer());
}

/** Whoever reads each answer's headers (the rate-limit board), before discord.js does. */
type AnswerObserver = (url: string, headers: Headers) => void;

/** discord.js's REST transport on our Agent, so Discord traffic never depends on the shared default dispatcher. */
export function discordRequestVia(dispatcher: Dispatcher, observe: AnswerObserver = () => {}): MakeRequest {
	return async (url, init) => {
		const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
		const body = await encodeBody(init.body, headers);
		const response = await request(url, {
			method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
			headers: Object.fromEntries(headers),
			...(body === undefined ? {} : { body }),
			...(init.signal ? { signal: init.signal } : {}),
			dispatcher,
		});
		const responseHeaders = new Headers(response.headers as Record<string, string>);
		observe(url, responseHeaders);
		const responseLike: ResponseLike = {
			body: response.body,
			bodyUsed: false,
			arrayBuffer: () => response.body.arrayBuffer(),
			json: () => response.body.json(),
			text: () => response.body.text(),
			headers: responseHeaders,
			status: response.statusCode,
			statusText: STATUS_CODES[response.statusCode] ?? '',
			ok: response.statusCode >= 200 && response.statusCode < 300,
		};
		return responseLike;
	};
}
