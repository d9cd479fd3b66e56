import type { Dispatcher } from 'undici';
import { ModelverseError } from './errors.js';
import { parseAnswer, requestContext, send } from './http.js';
import {
	encodeSubmitBody,
	type SubmitBody,
	statusAnswerSchema,
	submitAnswerSchema,
	type TaskStatus,
	toTaskStatus,
} from './wire.js';

export const AUTH_SCHEMES = ['raw', 'bearer'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export interface ModelverseClientOptions {
	baseUrl: string;
	apiKey: string;
	authScheme: AuthScheme;
	submitTimeoutMs?: number;
	statusTimeoutMs?: number;
	dispatcher?: Dispatcher;
}

type TunableOptions = Omit<ModelverseClientOptions, 'baseUrl' | 'apiKey' | 'authScheme' | 'dispatcher'>;

export const DEFAULT_MODELVERSE_CLIENT_OPTIONS = {
	submitTimeoutMs: 60_000,
	statusTimeoutMs: 15_000,
} as const satisfies Required<TunableOptions>;

export interface SubmittedTask {
	taskId: string;
	requestId: string;
}

// No task can have this id, so asking for it costs nothing and only tests the key.
const KEY_CHECK_TASK_ID = 'key-check-no-such-task';

export class ModelverseClient {
	readonly #baseUrl: string;
	readonly #authorization: string;
	readonly #apiKey: string;
	readonly #tuning: Required<TunableOptions>;
	readonly #dispatcher: Dispatcher | undefined;

	constructor({ baseUrl, apiKey, authScheme, dispatcher, ...tuning }: ModelverseClientOptions) {
		if (apiKey.length === 0) throw new TypeError('The Modelverse API key must not be empty');
		this.#baseUrl = baseUrl.replace(/\/+$/, '');
		this.#apiKey = apiKey;
		this.#authorization = authScheme === 'bearer' ? `Bearer ${apiKey}` : apiKey;
		this.#tuning = { ...DEFAULT_MODELVERSE_CLIENT_OPTIONS, ...tuning };
		this.#dispatcher = dispatcher;
	}

	/** Never retried here: a submit that failed after it was sent may still have created and billed a task. */
	async submit(body: SubmitBody): Promise<SubmittedTask> {
		const url = `${this.#baseUrl}/v1/tasks/submit`;
		const context = requestContext('POST', url, { createsTask: true, apiKey: this.#apiKey });
		const encoded = encodeSubmitBody(body);
		const answer = await send(context, {
			url,
			headers: {
				authorization: this.#authorization,
				'content-type': 'application/json',
				'content-length': String(encoded.byteLength),
			},
			body: encoded.pieces(),
			timeoutMs: this.#tuning.submitTimeoutMs,
			dispatcher: this.#dispatcher,
		});
		const { output, request_id } = parseAnswer(context, answer, submitAnswerSchema);
		return { taskId: output.task_id, requestId: request_id ?? '' };
	}

	/** One attempt: the poller schedules the next query within its global budget, which a retry here would bypass. */
	async status(taskId: string, { signal }: { signal?: AbortSignal } = {}): Promise<TaskStatus> {
		const url = `${this.#baseUrl}/v1/tasks/status?task_id=${encodeURIComponent(taskId)}`;
		const context = requestContext('GET', url, { createsTask: false, apiKey: this.#apiKey });
		const answer = await send(context, {
			url,
			headers: { authorization: this.#authorization },
			timeoutMs: this.#tuning.statusTimeoutMs,
			signal,
			dispatcher: this.#dispatcher,
		});
		const status = toTaskStatus(parseAnswer(context, answer, statusAnswerSchema));
		// The failure reason is shown to members, so a provider echoing the key must not carry it there.
		return status.errorMessage === undefined
			? status
			: { ...status, errorMessage: context.redact(status.errorMessage) };
	}

	/**
	 * Spends nothing: only a wrong key or key form answers 401, and a key past its spending limit or used from an
	 * address it does not allow answers 403. Transient failures are rethrown as they are, since they prove nothing.
	 */
	async checkKey(): Promise<void> {
		try {
			await this.status(KEY_CHECK_TASK_ID);
		} catch (error) {
			if (!(error instanceof ModelverseError) || error.retryable) throw error;
			if (error.kind === 'auth') {
				throw new ModelverseError(
					'Modelverse refused the API key (401): check the key and whether it is sent raw or as "Bearer <key>"',
					{ ...error, cause: error },
				);
			}
			if (error.kind === 'forbidden') {
				throw new ModelverseError(
					'Modelverse refused the API key (403): its spending limit is reached or this address is not allowed',
					{ ...error, cause: error },
				);
			}
		}
	}
}
