import type Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HealthServer } from '../src/ops/health-server.js';
import { createLogger } from '../src/ops/logger.js';
import { openStore } from '../src/storage/store.js';
import { type Harness, startHarness } from '../standins/harness.js';
import { runVideo, waitForDelivered } from '../standins/journeys.js';

describe('the health and metrics listener of a running bot', () => {
	let harness: Harness;
	let health: HealthServer;
	let store: Keyv;

	beforeEach(async () => {
		harness = await startHarness({ openStore: (databaseUrl) => (store = openStore(databaseUrl)) });
		health = await HealthServer.start({
			host: '127.0.0.1',
			port: 0,
			checks: harness.bot.healthChecks,
			metrics: harness.bot.metrics,
			logger: createLogger({ level: 'silent', secrets: [] }),
		});
	});

	afterEach(async () => {
		await health.stop();
		await harness.close();
	});

	const get = (path: string) => fetch(`${health.url}${path}`);

	it('answers 200 on /healthz when the gateway, the store, the poller and the Modelverse key are all fine', async () => {
		const response = await get('/healthz');

		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			status: 'ok',
			checks: { gateway: 'ok', store: 'ok', poller: 'ok', modelverse: 'ok' },
		});
	});

	it('answers 503 saying the store failed when the database stops answering', async () => {
		await store.disconnect();

		const response = await get('/healthz');

		expect(response.status).toBe(503);
		const report = (await response.json()) as { status: string; checks: Record<string, string> };
		expect(report.status).toBe('unhealthy');
		expect(report.checks.store).toMatch(/^the store failed: /);
		expect(report.checks.gateway).toBe('ok');
	});

	it('answers 503 saying the gateway is down when the Discord client has disconnected', async () => {
		await harness.bot.client.destroy();

		const response = await get('/healthz');

		expect(response.status).toBe(503);
		const report = (await response.json()) as { checks: Record<string, string> };
		expect(report.checks.gateway).toBe('the Discord client is not logged in');
		expect(report.checks.store).toBe('ok');
	});

	it('serves every metric family in Prometheus text format, counting what the bot did', async () => {
		harness.modelverse.injectFault('submit', { status: 429, retryAfterSeconds: 0 });
		const handle = runVideo(harness, 'text', { prompt: 'a kite over the sea', duration: 2 });
		await waitForDelivered(harness, handle);

		const response = await get('/metrics');
		const text = await response.text();

		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('text/plain');
		for (const family of [
			'pixverse_bot_jobs_ended_total',
			'pixverse_bot_credits_spent_total',
			'pixverse_bot_modelverse_request_duration_seconds',
			'pixverse_bot_discord_edit_failures_total',
			'pixverse_bot_open_jobs',
			'pixverse_bot_poller_lag_seconds',
			'pixverse_bot_process_cpu_seconds_total',
		]) {
			expect(text).toContain(`# TYPE ${family} `);
		}
		expect(text).toContain('pixverse_bot_jobs_ended_total{mode="text",state="succeeded"} 1');
		expect(text).toContain('pixverse_bot_credits_spent_total 4');
		const calls = (route: string, outcome: string) =>
			new RegExp(
				`pixverse_bot_modelverse_request_duration_seconds_count\\{route="${route}",outcome="${outcome}"\\} (\\d+)`,
			);
		expect(text).toMatch(calls('submit', 'rate_limited'));
		expect(text).toMatch(calls('submit', 'ok'));
		expect(text).toMatch(calls('status', 'ok'));
		expect(text).toMatch(calls('download', 'ok'));
		expect(text).toContain('pixverse_bot_open_jobs 0');
		expect(text).toMatch(/pixverse_bot_poller_lag_seconds \d/);
	});

	it('counts progress edits Discord refused, by error code', async () => {
		const { metrics } = harness.bot;
		metrics.discordEditFailed(10008);
		expect(await (await get('/metrics')).text()).toContain('pixverse_bot_discord_edit_failures_total{code="10008"} 1');
	});

	it('answers 404 elsewhere and 405 to anything but GET', async () => {
		expect((await get('/')).status).toBe(404);
		expect((await fetch(`${health.url}/healthz`, { method: 'POST' })).status).toBe(405);
	});
});
