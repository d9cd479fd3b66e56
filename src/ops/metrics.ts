import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EndedJobState } from '../domain/job.js';
import type { VideoMode } from '../domain/video.js';
import { ModelverseError } from '../modelverse/errors.js';

export type ModelverseRoute = 'submit' | 'status' | 'download';
/** `ok`, a ModelverseError kind, or `other` for anything the client did not classify. */
export type ModelverseOutcome = 'ok' | ModelverseError['kind'] | 'other';

export interface MetricsSources {
	openJobs: () => number | Promise<number>;
	pollerLagMs: () => number;
}

/** The bot's Prometheus metrics, in a registry of its own so tests and several bots in one process never collide. */
export class BotMetrics {
	readonly registry = new Registry();
	readonly #jobsEnded: Counter<'mode' | 'state'>;
	readonly #creditsSpent: Counter;
	readonly #unknownOutcomeCredits: Counter;
	readonly #modelverseSeconds: Histogram<'route' | 'outcome'>;
	readonly #discordEditFailures: Counter<'code'>;
	readonly #moderationLogDropped: Counter<'reason'>;

	constructor(sources: MetricsSources) {
		const registers = [this.registry];
		collectDefaultMetrics({ register: this.registry, prefix: 'pixverse_bot_' });
		this.#jobsEnded = new Counter({
			name: 'pixverse_bot_jobs_ended_total',
			help: 'Jobs that reached a final state, by mode and state',
			labelNames: ['mode', 'state'],
			registers,
		});
		this.#creditsSpent = new Counter({
			name: 'pixverse_bot_credits_spent_total',
			help: 'Credits charged for jobs that succeeded',
			registers,
		});
		this.#unknownOutcomeCredits = new Counter({
			name: 'pixverse_bot_unknown_outcome_credits_total',
			help: 'Credits of submits whose outcome is unknown (timeout or 5xx): returned to members, counted by the caps',
			registers,
		});
		this.#modelverseSeconds = new Histogram({
			name: 'pixverse_bot_modelverse_request_duration_seconds',
			help: 'Modelverse calls by route and outcome (ok or the error kind)',
			labelNames: ['route', 'outcome'],
			buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
			registers,
		});
		this.#discordEditFailures = new Counter({
			name: 'pixverse_bot_discord_edit_failures_total',
			help: 'Progress or result edits Discord refused, by Discord error code (or HTTP status)',
			labelNames: ['code'],
			registers,
		});
		this.#moderationLogDropped = new Counter({
			name: 'pixverse_bot_moderation_log_dropped_total',
			help: 'Moderation log lines never posted: dropped from a full channel queue, or refused or failed by Discord',
			labelNames: ['reason'],
			registers,
		});
		new Gauge({
			name: 'pixverse_bot_open_jobs',
			help: 'Jobs not yet ended',
			registers,
			async collect() {
				this.set(await sources.openJobs());
			},
		});
		new Gauge({
			name: 'pixverse_bot_poller_lag_seconds',
			help: 'Time since the poller last ran; grows when it is stuck',
			registers,
			collect() {
				this.set(sources.pollerLagMs() / 1000);
			},
		});
	}

	jobEnded(mode: VideoMode, state: EndedJobState): void {
		this.#jobsEnded.inc({ mode, state });
	}

	creditsSpent(credits: number): void {
		this.#creditsSpent.inc(credits);
	}

	unknownOutcome(credits: number): void {
		this.#unknownOutcomeCredits.inc(credits);
	}

	modelverseCall(route: ModelverseRoute, seconds: number, outcome: ModelverseOutcome): void {
		this.#modelverseSeconds.observe({ route, outcome }, seconds);
	}

	/** Times one call and records its outcome; the call's result or error passes through untouched. */
	async timeModelverse<T>(route: ModelverseRoute, call: () => Promise<T>): Promise<T> {
		const startedAt = performance.now();
		try {
			const result = await call();
			this.modelverseCall(route, (performance.now() - startedAt) / 1000, 'ok');
			return result;
		} catch (error) {
			const outcome = error instanceof ModelverseError ? error.kind : 'other';
			this.modelverseCall(route, (performance.now() - startedAt) / 1000, outcome);
			throw error;
		}
	}

	discordEditFailed(code: number | string): void {
		this.#discordEditFailures.inc({ code: String(code) });
	}

	moderationLogDropped(reason: 'queue-full' | 'post-failed', lines: number): void {
		this.#moderationLogDropped.inc({ reason }, lines);
	}

	render(): Promise<string> {
		return this.registry.metrics();
	}

	get contentType(): string {
		return this.registry.contentType;
	}
}
