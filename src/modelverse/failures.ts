import { ModelverseError, type ModelverseErrorKind } from './errors.js';
import { describeRequest, type RequestContext } from './request-context.js';
import { parseRetryAfter } from './retry-after.js';
import type { HttpAnswer } from './transport.js';
import { errorAnswerSchema } from './wire.js';

// These fail before a connection exists, so the provider cannot have seen the request.
const CONNECTION_NEVER_OPENED_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_CONNECT_TIMEOUT',
]);

export function errorFromAnswer(context: RequestContext, answer: HttpAnswer): ModelverseError {
	const { status } = answer;
	const parsed = errorAnswerSchema.safeParse(parseJsonOrUndefined(answer.text));
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

export function parseJsonOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
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
