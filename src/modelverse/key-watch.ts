import type { Logger } from '../ops/logger.js';
import { ModelverseError } from './errors.js';

interface KeyCheckRetry {
	firstDelayMs: number;
	maxDelayMs: number;
}

export interface ModelverseKeyWatchOptions {
	/** Resolves when the key is accepted; throws a ModelverseError of kind `auth` or `forbidden` when it is refused. */
	checkKey: () => Promise<void>;
	retry: KeyCheckRetry;
	logger: Logger;
}

/** Only these answers prove the key itself is wrong; 429, 5xx, timeouts and lost connections prove nothing. */
function isRefusal(error: unknown): error is ModelverseError {
	return error instanceof ModelverseError && (error.kind === 'auth' || error.kind === 'forbidden');
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Whether Modelverse accepts the API key. A refusal stops the start; a provider that is down or busy while the bot
 * starts does not, because a restart would only hit it again: the check is retried in the background with growing,
 * jittered delays, and `problem` says where it stands for `/healthz`.
 */
export class ModelverseKeyWatch {
	#problem: string | undefined = 'the API key has not been checked yet';
	#failures = 0;
	#timer: NodeJS.Timeout | undefined;
	#stopped = false;

	constructor(private readonly options: ModelverseKeyWatchOptions) {}

	/** Undefined once the key is accepted; otherwise why it is not known to work. */
	get problem(): string | undefined {
		return this.#problem;
	}

	/** Resolves after the first attempt, unless it proved the key wrong. */
	async start(): Promise<void> {
		const refusal = await this.#attempt();
		if (refusal) throw refusal;
	}

	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
	}

	async #attempt(): Promise<ModelverseError | undefined> {
		const { checkKey, logger } = this.options;
		try {
			await checkKey();
		} catch (error) {
			if (isRefusal(error)) {
				this.#problem = error.message;
				return error;
			}
			this.#scheduleRetry(error);
			return undefined;
		}
		if (this.#failures > 0) logger.info({ attempts: this.#failures + 1 }, 'Modelverse accepted the API key');
		this.#problem = undefined;
		return undefined;
	}

	#scheduleRetry(error: unknown): void {
		const { retry, logger } = this.options;
		this.#failures += 1;
		const ceiling = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (this.#failures - 1));
		// Equal jitter: never sooner than half the ceiling, so bots restarted together do not retry together.
		const jittered = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
		const retryAfterMs = error instanceof ModelverseError ? (error.retryAfterMs ?? 0) : 0;
		const delayMs = Math.max(jittered, retryAfterMs);
		const requestId = error instanceof ModelverseError ? error.requestId : undefined;
		this.#problem = `the API key is not confirmed yet (${errorText(error)}); next check in ${Math.ceil(delayMs / 1000)} s`;
		logger.warn(
			{ err: error, requestId, failures: this.#failures, retryInMs: delayMs },
			'Modelverse did not answer the key check; the bot runs and checks again in the background',
		);
		if (this.#stopped) return;
		this.#timer = setTimeout(() => void this.#retry(), delayMs);
		this.#timer.unref();
	}

	async #retry(): Promise<void> {
		const refusal = await this.#attempt();
		if (refusal) {
			this.options.logger.error(
				{ err: refusal, requestId: refusal.requestId },
				'Modelverse refused the API key: no job can be sent until the key is fixed and the bot restarted',
			);
		}
	}
}
