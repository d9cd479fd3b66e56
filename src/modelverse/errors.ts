import type { Dispatcher } from 'undici';
import { errorAnswerSchema } from './wire.js';

export type ModelverseErrorKind =
	| 'bad_request'
	| 'auth'
	| 'forbidden'
	| 'rate_limited'
	| 'timeout'
	| 'server'
	| 'network'
	| 'invalid_response';

export interface ModelverseErrorDetails {
	kind: ModelverseErrorKind;
	method: string;
	url: string;
	/** True only when it is certain this request created no task (a status query never does). */
	nothingCreated: boolean;
	/** True when the same request may succeed later; a submit is still only safe to repeat when `nothingCreated`. */
	retryable: boolean;
	status?: number | undefined;
	code?: string | undefined;
	type?: string | undefined;
	param?: string | undefined;
	/** The provider's own `error.message`, fit to show to members. */
	providerMessage?: string | undefined;
	requestId?: string | undefined;
	retryAfterMs?: number | undefined;
	cause?: unknown;
}

/** Carries no credentials: messages and fields are built from the answer and a URL without userinfo. */
export class ModelverseError extends Error {
	readonly kind: ModelverseErrorKind;
	readonly method: string;
	readonly url: string;
	readonly nothingCreated: boolean;
	readonly retryable: boolean;
	readonly status?: number | undefined;
	readonly code?: string | undefined;
	readonly type?: string | undefined;
	readonly param?: string | undefined;
	readonly providerMessage?: string | undefined;
	readonly requestId?: string | undefined;
	readonly retryAfterMs?: number | undefined;

	constructor(message: string, { cause, ...details }: ModelverseErrorDetails) {
		super(message, cause === undefined ? undefined : { cause });
		this.name = 'ModelverseError';
		this.kind = details.kind;
		this.method = details.method;
		this.url = details.url;
		this.nothingCreated = details.nothingCreated;
		this.retryable = details.retryable;
		this.status = details.status;
		this.code = details.code;
		this.type = details.type;
		this.param = details.param;
		this.providerMessage = details.providerMessage;
		this.requestId = details.requestId;
		this.retryAfterMs = details.retryAfterMs;
	}
}

/** What an error needs to know about the request that failed, without its credentials. */
export interface RequestContext {
	method: 'GET' | 'POST';
	/** The URL without userinfo, fit for errors and logs. */
	url: string;
	/** Whether a lost or unclear answer may hide a task that was created (and billed). */
	createsTask: boolean;
	/** Removes the API key from any text the provider sent back. */
	redact: (text: string) => string;
}

export interface HttpAnswer {
	status: number;
	headers: Dispatcher.ResponseData['headers'];
	text: string;
}

// These fail before a connection exists, so the provider cannot have seen the request.
const CONNECTION_NEVER_OPENED_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_CONNECT_TIMEOUT',
]);

/** An answer outside 2xx; `json` is its body read as JSON, or undefined when it is not JSON. */
export function errorFromAnswer(context: RequestContext, answer: HttpAnswer, json: unknown): ModelverseError {
	const { status } = answer;
	const parsed = errorAnswerSchema.safeParse(json);
	const error = parsed.success ? parsed.data.error : undefined;
	const providerMessage = error?.message ? context.redact(error.message) : undefined;
	const code = error?.code == null ? undefined : context.redact(String(error.code));
	const isClientError = status >= 400 && status < 500;
	const summary = `${describeRequest(context)} answered ${status}${code ? ` (${code})` : ''}`;
	return new ModelverseError(providerMessage ? `${summary}: ${providerMessage}` : summary, {
		kind: kindForStatus(status),
		method: context.method,
		url: context.url,
		status,
		code,
		type: error?.type ? context.redact(error.type) : undefined,
		param: error?.param ? context.redact(error.param) : undefined,
		providerMessage,
		requestId: (parsed.success && parsed.data.request_id) || requestIdHeader(answer),
		retryAfterMs: parseRetryAfter(answer.headers['retry-after']),
		// A 4xx other than 408 is refused before any work starts; a 408 or 5xx may come after the task was made.
		nothingCreated: !context.createsTask || (isClientError && status !== 408),
		retryable: status === 408 || status === 429 || status >= 500,
	});
}

export function errorFromUnfitAnswer(
	context: RequestContext,
	answer: HttpAnswer,
	{ reason, isJson }: { reason: string; isJson: boolean },
): ModelverseError {
	return new ModelverseError(`${describeRequest(context)} answered ${answer.status} with ${reason}`, {
		kind: 'invalid_response',
		method: context.method,
		url: context.url,
		status: answer.status,
		requestId: requestIdHeader(answer),
		nothingCreated: !context.createsTask,
		// A body that is not JSON at all is usually a proxy's hiccup; JSON of the wrong shape will not fix itself.
		retryable: !isJson,
	});
}

export function errorFromTransport(
	context: RequestContext,
	cause: unknown,
	timedOutAfterMs: number | undefined,
): ModelverseError {
	if (timedOutAfterMs !== undefined) {
		return new ModelverseError(`${describeRequest(context)} got no answer within ${timedOutAfterMs} ms`, {
			kind: 'timeout',
			method: context.method,
			url: context.url,
			nothingCreated: !context.createsTask,
			retryable: true,
			cause,
		});
	}
	const code = errorCode(cause);
	const detail = code ?? (cause instanceof Error ? context.redact(cause.message) : 'unknown network error');
	return new ModelverseError(`${describeRequest(context)} failed: ${detail}`, {
		kind: 'network',
		method: context.method,
		url: context.url,
		code,
		nothingCreated: !context.createsTask || (code !== undefined && CONNECTION_NEVER_OPENED_CODES.has(code)),
		retryable: true,
		cause,
	});
}

/** `Retry-After` is either whole seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
	const value = (Array.isArray(header) ? header[0] : header)?.trim();
	if (!value) return undefined;
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	// Every HTTP date form starts with the day's name; Date.parse alone would also accept things like "-1".
	const at = /^[A-Za-z]{3}/.test(value) ? Date.parse(value) : Number.NaN;
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function describeRequest(context: RequestContext): string {
	return `Modelverse ${context.method} ${new URL(context.url).pathname}`;
}

function kindForStatus(status: number): ModelverseErrorKind {
	if (status === 401) return 'auth';
	if (status === 403) return 'forbidden';
	if (status === 408) return 'timeout';
	if (status === 429) return 'rate_limited';
	if (status >= 500) return 'server';
	if (status >= 400) return 'bad_request';
	return 'invalid_response';
}

function requestIdHeader(answer: HttpAnswer): string | undefined {
	const value = answer.headers['x-request-id'];
	return (Array.isArray(value) ? value[0] : value) || undefined;
}

function errorCode(error: unknown): string | undefined {
	for (let current = error; current instanceof Error; current = current.cause) {
		if ('code' in current && typeof current.code === 'string') return current.code;
	}
	return undefined;
}
