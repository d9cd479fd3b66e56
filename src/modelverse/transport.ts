import { type Dispatcher, request } from 'undici';
import { errorFromTransport } from './failures.js';
import type { RequestContext } from './request-context.js';

export interface HttpAnswer {
	status: number;
	headers: Dispatcher.ResponseData['headers'];
	text: string;
}

export interface OutgoingRequest {
	url: string;
	headers: Record<string, string>;
	body?: string;
	timeoutMs: number;
	signal?: AbortSignal | undefined;
	dispatcher?: Dispatcher | undefined;
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
