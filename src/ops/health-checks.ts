import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, Status } from 'discord.js';
import type Keyv from 'keyv';

/** Resolves to undefined when healthy, or to the reason it is not. */
export interface HealthCheck {
	name: string;
	run(): Promise<string | undefined>;
}

const HEALTH_PROBE_KEY = 'health:probe';
const HEALTH_PROBE_TTL_MS = 60_000;

/** Per shard: discord.js keeps the manager's own status at Ready after a connection drops and is being retried. */
export function gatewayCheck(client: Pick<Client, 'ws' | 'isReady'>): HealthCheck {
	return {
		name: 'gateway',
		async run() {
			if (!client.isReady()) return 'the Discord client is not logged in';
			const notReady = client.ws.shards.filter((shard) => shard.status !== Status.Ready);
			if (notReady.size === 0) return undefined;
			const states = notReady.map((shard) => `${Status[shard.status]} (shard ${shard.id})`);
			return `the Discord gateway is ${states.join(', ')}, not Ready`;
		},
	};
}

/** A real write and read, because a store that opens but cannot write would still lose jobs and credits. */
export function storeCheck(store: Pick<Keyv, 'get' | 'set'>, timeoutMs: number): HealthCheck {
	return {
		name: 'store',
		async run() {
			const written = String(Date.now());
			const probe = (async () => {
				await store.set(HEALTH_PROBE_KEY, written, HEALTH_PROBE_TTL_MS);
				const read = await store.get(HEALTH_PROBE_KEY);
				return read === written ? undefined : 'the store did not return the value just written';
			})().catch((error: unknown) => `the store failed: ${error instanceof Error ? error.message : String(error)}`);
			const timeout = sleep(timeoutMs, `the store did not answer within ${timeoutMs} ms`, { ref: false });
			return Promise.race([probe, timeout]);
		},
	};
}

export function pollerCheck(poller: { readonly lagMs: number }, maxLagMs: number): HealthCheck {
	return {
		name: 'poller',
		async run() {
			const lagMs = poller.lagMs;
			return lagMs <= maxLagMs ? undefined : `the poller has not run for ${Math.round(lagMs / 1000)} s`;
		},
	};
}

/** Fails while Modelverse has not confirmed the API key: the provider was down at start-up, or refused the key since. */
export function modelverseKeyCheck(watch: { readonly problem: string | undefined }): HealthCheck {
	return {
		name: 'modelverse',
		async run() {
			return watch.problem;
		},
	};
}

/** Fails while the status-query budget shared through Redis cannot be reached: no job is polled until it is back. */
export function queryBudgetCheck(budget: { readonly problem: string | undefined }): HealthCheck {
	return {
		name: 'query-budget',
		async run() {
			return budget.problem;
		},
	};
}
