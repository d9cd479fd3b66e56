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
