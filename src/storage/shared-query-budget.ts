import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { type BudgetWindow, budgetWindow } from '../domain/query-budget.js';
import type { Logger } from '../ops/logger.js';
import { defineBudgetScripts } from './query-budget-scripts.js';

/** A Redis that does not answer this fast is treated as unreachable: polling waits rather than queue behind it. */
const COMMAND_TIMEOUT_MS = 1_000;
const FIRST_RETRY_MS = 100;
const LONGEST_RETRY_MS = 2_000;

/** The wait before trying Redis again after `failures` failures in a row: doubling, so an outage costs little. */
export function outageRetryMs(failures: number): number {
	return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

/** Names the API key's window without the key: anyone reading Redis sees a hash, never the secret. */
export function budgetKey(apiKey: string): string {
	const fingerprint = createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
	return `pixverse-bot:status-queries:${fingerprint}`;
}

/** At most `permits` in any window of `windowMs`, counted across every process sharing the Redis. */
export interface SharedQueryBudgetOptions extends BudgetWindow {
	redisUrl: string;
	apiKey: string;
	logger: Logger;
}

/** A permit with the Redis time it was granted at (ms since the epoch), or how long until one may be. */
export type QueryPermit = { granted: true; grantedAtMs: number } | { retryInMs: number };

/**
 * The provider's status-query budget, shared by every process on the API key through Redis. Fails closed: while
 * Redis cannot be reached no permit is granted, and the caller waits and asks again.
 */
export class SharedQueryBudget {
	readonly #redis: Redis;
	readonly #key: string;
	readonly #options: SharedQueryBudgetOptions;
	/** Settles once the first connection is made or has failed, so a fresh client is not taken for an outage. */
	readonly #firstConnection: Promise<unknown>;
	#failures = 0;
	#closed = false;
	#slowerSiblingNoticed = false;
	#outage: { since: number; reason: string } | undefined;

	constructor(options: SharedQueryBudgetOptions) {
		this.#options = options;
		this.#key = budgetKey(options.apiKey);
		this.#redis = new Redis(options.redisUrl, {
			// Without a connection a command fails at once instead of waiting in a queue to be sent later.
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			commandTimeout: COMMAND_TIMEOUT_MS,
			retryStrategy: (attempts) => outageRetryMs(attempts),
		});
		defineBudgetScripts(this.#redis);
		this.#firstConnection = new Promise((settled) => {
			this.#redis.once('ready', settled);
			this.#redis.once('error', settled);
		});
		this.#redis.on('error', (error: Error) => this.#unreachable(error));
		this.#redis.on('ready', () => this.#reached());
	}

	/** Why no permit can be granted now, for `/readyz`; undefined while Redis answers. */
	get problem(): string | undefined {
		return this.#outage && `the shared status-query budget in Redis cannot be reached: ${this.#outage.reason}`;
	}

	/**
	 * Never rejects: an unreachable Redis answers with the wait before asking again. A grant that took longer to arrive
	 * than a query may leave after it (`sendWithinMs`) is not used: the grant happened somewhere between the ask and
	 * the answer, and a query sent that late could share a second at the provider with too many others. Asking again
	 * costs a permit of the window, never a query over it.
	 */
	async take(): Promise<QueryPermit> {
		const { permits, windowMs, sendWithinMs, logger } = this.#options;
		await this.#firstConnection;
		try {
			const askedAt = performance.now();
			const [granted, value, spacingUs] = await this.#redis.takeQueryPermit(
				this.#key,
				`${this.#key}:spacing`,
				permits,
				windowMs * 1000,
			);
			this.#reached();
			this.#noticeSpacing(spacingUs);
			if (granted !== 1) return { retryInMs: Math.ceil(value / 1000) };
			const roundTripMs = performance.now() - askedAt;
			if (roundTripMs <= sendWithinMs) return { granted: true, grantedAtMs: value / 1000 };
			logger.debug(
				{ roundTripMs: Math.round(roundTripMs), sendWithinMs },
				'a permit came too late to use; asking again',
			);
			return { retryInMs: 0 };
		} catch (error) {
			this.#unreachable(error);
			return { retryInMs: outageRetryMs(this.#failures) };
		}
	}

	/**
	 * Waits for a permit while Redis answers, for a query outside the poller (the API key check); rejects while Redis
	 * cannot be reached, for a caller that tries again on its own.
	 */
	async permit(): Promise<void> {
		for (;;) {
			const answer = await this.take();
			if ('granted' in answer) return;
			if (this.#outage) throw new Error(this.problem);
			await sleep(answer.retryInMs);
		}
	}

	/** Permits granted but not yet used are simply not spent. */
	close(): void {
		this.#closed = true;
		this.#redis.disconnect();
	}

	/**
	 * The provider asked every client to slow down (429 with Retry-After): no process on the API key is granted a
	 * permit until the pause is over. Best effort: while Redis cannot be reached no permit is granted anyway.
	 */
	async hold(forMs: number): Promise<void> {
		try {
			await this.#redis.holdQueryPermits(this.#key, Math.ceil(forMs * 1000));
		} catch (error) {
			this.#unreachable(error);
		}
	}

	/** Said once: a sibling configured with a smaller budget for the same API key sets the pace for every process. */
	#noticeSpacing(spacingUs: number): void {
		const { permits, windowMs, logger } = this.#options;
		const ownSpacingUs = Math.ceil((windowMs * 1000) / permits);
		if (spacingUs <= ownSpacingUs || this.#slowerSiblingNoticed) return;
		this.#slowerSiblingNoticed = true;
		logger.warn(
			{ ownSpacingMs: ownSpacingUs / 1000, keptSpacingMs: spacingUs / 1000 },
			'another process on this API key has a smaller STATUS_QUERIES_PER_SECOND; every process keeps to the smaller',
		);
	}

	#unreachable(error: unknown): void {
		this.#failures += 1;
		if (this.#outage || this.#closed) return;
		const reason = error instanceof Error ? error.message : String(error);
		this.#outage = { since: Date.now(), reason };
		this.#options.logger.error({ reason }, 'the shared status-query budget in Redis cannot be reached; polling waits');
	}

	#reached(): void {
		this.#failures = 0;
		if (!this.#outage) return;
		this.#options.logger.info(
			{ outageMs: Date.now() - this.#outage.since },
			'the shared status-query budget in Redis is reached again; polling resumes',
		);
		this.#outage = undefined;
	}
}

/** The budget the settings share through Redis; none without REDIS_URL, and this process spends the budget alone. */
export function sharedQueryBudget(
	config: Pick<Config, 'redisUrl' | 'modelverse' | 'polling'>,
	logger: Logger,
): SharedQueryBudget | undefined {
	if (!config.redisUrl) return undefined;
	return new SharedQueryBudget({
		redisUrl: config.redisUrl,
		apiKey: config.modelverse.apiKey,
		...budgetWindow(config.polling.queriesPerSecond),
		logger,
	});
}
