import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthCheck } from './health-checks.js';
import type { Logger } from './logger.js';
import type { BotMetrics } from './metrics.js';

/**
 * Liveness: is the process itself working (would a restart help)? Readiness: can it serve members right now? A
 * Discord outage fails readiness only, so an orchestrator waits it out instead of restarting a healthy bot.
 */
export interface HealthChecks {
	liveness: HealthCheck[];
	readiness: HealthCheck[];
}

export interface HealthServerOptions {
	host: string;
	/** 0 picks a free port (tests). */
	port: number;
	checks: HealthChecks;
	metrics: BotMetrics;
	logger: Logger;
}

interface HealthReport {
	status: 'ok' | 'unhealthy';
	/** Each check's name, with `ok` or the reason it failed. */
	checks: Record<string, string>;
	/**
	 * On `/healthz` only, for whoever reads it: the readiness checks failing now (Discord or Modelverse out), which
	 * never fail liveness, since restarting the bot would not bring them back.
	 */
	notReady?: Record<string, string>;
}

async function runHealthChecks(checks: HealthCheck[]): Promise<HealthReport> {
	const reasons = await Promise.all(checks.map((check) => check.run()));
	const report: HealthReport = { status: 'ok', checks: {} };
	checks.forEach((check, index) => {
		const reason = reasons[index];
		report.checks[check.name] = reason ?? 'ok';
		if (reason !== undefined) report.status = 'unhealthy';
	});
	return report;
}

/** `/healthz` (liveness: Docker's HEALTHCHECK) and `/readyz` (readiness) for orchestrators, `/metrics` for Prometheus. */
export class HealthServer {
	readonly #server: Server;

	private constructor(
		server: Server,
		readonly url: string,
	) {
		this.#server = server;
	}

	static async start(options: HealthServerOptions): Promise<HealthServer> {
		const server = createServer((request, response) => {
			handle(request, response, options).catch((error: unknown) => {
				options.logger.error({ err: error, path: request.url }, 'health endpoint failed');
				if (!response.headersSent) response.writeHead(500).end();
			});
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.port, options.host, () => resolve());
		});
		const { port } = server.address() as AddressInfo;
		const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
		options.logger.info({ url }, 'health and metrics listening');
		return new HealthServer(server, url);
	}

	async stop(): Promise<void> {
		this.#server.closeAllConnections();
		await new Promise<void>((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
	}
}

const PROBES: Readonly<Record<string, keyof HealthChecks>> = { '/healthz': 'liveness', '/readyz': 'readiness' };

async function handle(request: IncomingMessage, response: ServerResponse, options: HealthServerOptions) {
	const path = new URL(request.url ?? '/', 'http://health.invalid').pathname;
	if (request.method !== 'GET' && request.method !== 'HEAD') {
		response.writeHead(405, { allow: 'GET, HEAD' }).end();
		return;
	}
	const probe = PROBES[path];
	if (probe) {
		const report = await runHealthChecks(options.checks[probe]);
		if (probe === 'liveness') {
			const readiness = await runHealthChecks(options.checks.readiness);
			const failing = Object.entries(readiness.checks).filter(([, reason]) => reason !== 'ok');
			if (failing.length > 0) report.notReady = Object.fromEntries(failing);
		}
		// Not ready is expected while connecting and through Discord's outages; not alive is the operator's problem.
		const level = probe === 'liveness' ? 'warn' : 'info';
		if (report.status !== 'ok') options.logger[level]({ probe, checks: report.checks }, `${probe} check failed`);
		response.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
		response.end(JSON.stringify(report));
		return;
	}
	if (path === '/metrics') {
		const body = await options.metrics.render();
		response.writeHead(200, { 'content-type': options.metrics.contentType }).end(body);
		return;
	}
	response.writeHead(404).end();
}
