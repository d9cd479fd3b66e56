import { Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import {
	errorFromAnswer,
	errorFromTransport,
	errorFromUnfitAnswer,
	type HttpAnswer,
	ModelverseError,
	type RequestContext,
} from './errors.js';

/** The provider's answers are a few hundred bytes; anything this large is a proxy's page or a fault, never read whole. */
const ANSWER_MAX_BYTES = 1024 * 1024;

export interface OutgoingRequest {
	url: string;
	headers: Record<string, string>;
	/** Pieces are sent as they come; a streamed body needs its `content-length` among the headers. */
	body?: Iterable<Buffer>;
	timeoutMs: number;
	signal?: AbortSignal | undefined;
	dispatcher?: Dispatcher | undefined;
}

export function requestContext(
	method: RequestContext['method'],
	url: string,
	{ createsTask, apiKey }: { createsTask: boolean; apiKey: string },
): RequestContext {
	return {
		method,
		url: urlWithoutUserinfo(url),
		createsTask,
		redact: (text) => text.replaceAll(apiKey, '[redacted]'),
	};
}

/** One attempt, no retries: any answer comes back as is, a lost or late one as a ModelverseError. */
export async function send(context: RequestContext, outgoing: OutgoingRequest): Promise<HttpAnswer> {
	const deadline = AbortSignal.timeout(outgoing.timeoutMs);
	const signal = outgoing.signal ? AbortSignal.any([deadline, outgoing.signal]) : deadline;
	try {
		const response = await request(outgoing.url, {
			method: context.method,
			headers: outgoing.headers,
			signal,
			...(outgoing.body !== undefined && { body: Readable.from(outgoing.body, { objectMode: false }) }),
			...(outgoing.dispatcher !== undefined && { dispatcher: outgoing.dispatcher }),
		});
		const answer = { status: response.statusCode, headers: response.headers };
		const text = await readUpTo(response.body, ANSWER_MAX_BYTES);
		if (text === undefined) {
			throw errorFromUnfitAnswer(
				context,
				{ ...answer, text: '' },
				{ reason: `a body over ${ANSWER_MAX_BYTES} bytes`, isJson: false },
			);
		}
		return { ...answer, text };
	} catch (error) {
		if (error instanceof ModelverseError) throw error;
		outgoing.signal?.throwIfAborted();
		throw errorFromTransport(context, error, deadline.aborted ? outgoing.timeoutMs : undefined);
	}
}

export function parseAnswer<Schema extends z.ZodType>(
	context: RequestContext,
	answer: HttpAnswer,
	schema: Schema,
): z.output<Schema> {
	const json = parseJsonOrUndefined(answer.text);
	if (answer.status < 200 || answer.status >= 300) throw errorFromAnswer(context, answer, json);
	if (json === undefined) {
		throw errorFromUnfitAnswer(context, answer, { reason: 'a body that is not JSON', isJson: false });
	}
	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
		throw errorFromUnfitAnswer(context, answer, {
			reason: `a body of the wrong shape (${context.redact(issues.join('; '))})`,
			isJson: true,
		});
	}
	return parsed.data;
}

/** The body as text, or undefined once it outgrows `maxBytes`: the rest is never read and the connection is dropped. */
async function readUpTo(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string | undefined> {
	const chunks: Buffer[] = [];
	let length = 0;
	// Leaving the loop early destroys the body, which closes the connection.
	for await (const chunk of body as AsyncIterable<Buffer>) {
		length += chunk.length;
		if (length > maxBytes) return undefined;
		chunks.push(chunk);
	}
	return Buffer.concat(chunks, length).toString('utf8');
}

function urlWithoutUserinfo(url: string): string {
	const parsed = new URL(url);
	parsed.username = '';
	parsed.password = '';
	return parsed.toString();
}

function parseJsonOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
