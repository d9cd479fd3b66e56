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

	/** The first answer of `path` with `status`, asking again until it comes. */
	async function answerWith(path: string, status: number, timeoutMs: number): Promise<Record<string, unknown>> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const response = await get(path);
			if (response.status === status) return (await response.json()) as Record<string, unknown>;
			if (Date.now() > deadline) throw new Error(`${path} never answered ${status}; it said ${response.status}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}

	it('answers 200 on /healthz (alive: store and poller) and on /readyz (ready: the gateway and the Modelverse key) when all is well', async () => {
		const live = await get('/healthz');
		const ready = await get('/readyz');

		expect(live.status).toBe(200);
		expect(await live.json()).toEqual({ status: 'ok', checks: { store: 'ok', poller: 'ok' } });
		expect(ready.status).toBe(200);
		expect(await ready.json()).toEqual({ status: 'ok', checks: { gateway: 'ok', modelverse: 'ok' } });
	});

	it('answers 503 on /healthz saying the store failed when the database stops answering', async () => {
		await store.disconnect();

		const response = await get('/healthz');

		expect(response.status).toBe(503);
		const report = (await response.json()) as { status: string; checks: Record<string, string> };
		expect(report.status).toBe('unhealthy');
		expect(report.checks.store).toMatch(/^the store failed: /);
		expect(report.checks.poller).toBe('ok');
	});

	it('through a Discord gateway outage stays alive (200) but not ready (503), and is ready again once it is back', async () => {
		harness.discord.takeGatewayDown();

		const notReady = await answerWith('/readyz', 503, 10_000);
		expect(notReady).toMatchObject({
			status: 'unhealthy',
			checks: { gateway: expect.stringMatching(/^the Discord gateway is \w+ \(shard 0\), not Ready$/) },
		});
		const live = await get('/healthz');
		expect(live.status).toBe(200);
		expect(await live.json()).toEqual({
			status: 'ok',
			checks: { store: 'ok', poller: 'ok' },
			notReady: { gateway: expect.stringMatching(/not Ready$/) },
		});

		harness.discord.bringGatewayBack();
		expect(await answerWith('/readyz', 200, 30_000)).toEqual({
			status: 'ok',
			checks: { gateway: 'ok', modelverse: 'ok' },
		});
	});

	it('is not ready (503) once the Discord client has been destroyed', async () => {
		await harness.bot.client.destroy();

		const response = await get('/readyz');

		expect(response.status).toBe(503);
		const report = (await response.json()) as { checks: Record<string, string> };
		expect(report.checks.gateway).toBe('the Discord client is not logged in');
		expect((await get('/healthz')).status).toBe(200);
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
		expect(text).toContain('pixverse_bot_open_jobs{state="rendering"} 0');
		expect(text).toContain('pixverse_bot_open_jobs{state="in_line"} 0');
		expect(text).toContain('pixverse_bot_delivery_seconds_count 1');
		expect(text).toMatch(/pixverse_bot_status_query_budget [1-9]/);
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
		expect((await fetch(`${health.url}/readyz`, { method: 'POST' })).status).toBe(405);
	});
});
