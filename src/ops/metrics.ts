import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type EndedJobState, type JobState, OPEN_JOB_STATES } from '../domain/job.js';
import type { VideoMode } from '../domain/video.js';
import { ModelverseError } from '../modelverse/errors.js';

export type ModelverseRoute = 'submit' | 'status' | 'download';
/** `ok`, a ModelverseError kind, or `other` for anything the client did not classify. */
export type ModelverseOutcome = 'ok' | ModelverseError['kind'] | 'other';

export interface MetricsSources {
	openJobs: () => Promise<Array<{ state: JobState }>>;
	pollerLagMs: () => number;
	/** The provider's status-query budget for the API key, per second: what the queries made are held against. */
	statusQueriesPerSecond: number;
	/** With several processes: the open jobs whose queue item this process holds, which it follows. */
	heldJobs?: () => number;
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
	readonly #deliverySeconds: Histogram;

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
		this.#deliverySeconds = new Histogram({
			name: 'pixverse_bot_delivery_seconds',
			help: 'From the provider finishing a video to the bot posting it in Discord (or its link)',
			buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 3600, 21_600],
			registers,
		});
		new Gauge({
			name: 'pixverse_bot_open_jobs',
			help: "Jobs not yet ended, by state; in_line is the length of the servers' lines",
			labelNames: ['state'],
			registers,
			async collect() {
				const counts = new Map<JobState, number>(OPEN_JOB_STATES.map((state) => [state, 0]));
				// A job that ended while the list was read is left out rather than given a state of its own.
				for (const { state } of await sources.openJobs()) {
					const count = counts.get(state);
					if (count !== undefined) counts.set(state, count + 1);
				}
				for (const [state, count] of counts) this.set({ state }, count);
			},
		});
		new Gauge({
			name: 'pixverse_bot_status_query_budget',
			help: 'Status queries per second the provider allows the API key (STATUS_QUERIES_PER_SECOND)',
			registers,
		}).set(sources.statusQueriesPerSecond);
		const { heldJobs } = sources;
		if (heldJobs) {
			new Gauge({
				name: 'pixverse_bot_held_jobs',
				help: 'Open jobs whose queue item this process holds: the jobs it follows (several processes only)',
				registers,
				collect() {
					this.set(heldJobs());
				},
			});
		}
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

	videoDelivered(secondsSinceMade: number): void {
		this.#deliverySeconds.observe(secondsSinceMade);
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
