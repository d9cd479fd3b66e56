import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import {
	errorFromAnswer,
	errorFromTransport,
	errorFromUnfitAnswer,
	type HttpAnswer,
	type RequestContext,
} from './errors.js';

export interface OutgoingRequest {
	url: string;
	headers: Record<string, string>;
	body?: string;
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
			...(outgoing.body !== undefined && { body: outgoing.body }),
			...(outgoing.dispatcher !== undefined && { dispatcher: outgoing.dispatcher }),
		});
		return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
	} catch (error) {
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
