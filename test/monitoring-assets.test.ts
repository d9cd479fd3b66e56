import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { BotMetrics } from '../src/ops/metrics.js';

// No Docker engine runs here, so what compose and Grafana would read is checked as the files they read.
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const composeSchema = z.object({
	services: z.record(
		z.string(),
		z.object({
			profiles: z.array(z.string()).optional(),
			environment: z.record(z.string(), z.string()).optional(),
			command: z.array(z.string()).optional(),
			image: z.string().optional(),
		}),
	),
});
const compose = composeSchema.parse(parse(read('compose.yaml'), { merge: true }));
const services = Object.entries(compose.services);
const inProfile = (profile: string) => services.filter(([, service]) => service.profiles?.includes(profile));
const scaledBots = inProfile('scale').filter(([, service]) => service.image === 'pixverse-discord-bot');

describe('compose', () => {
	it('keeps the default a single bot on SQLite, started by a plain `docker compose up`', () => {
		const unprofiled = services.filter(([, service]) => !service.profiles);
		expect(unprofiled.map(([name]) => name)).toEqual(['bot']);
		expect(compose.services.bot?.environment?.DATABASE_URL).toBeUndefined();
	});

	it('gives the scale profile bots that hold every shard exactly once, on PostgreSQL and Redis', () => {
		expect(scaledBots.length).toBeGreaterThanOrEqual(2);
		const counts = new Set(scaledBots.map(([, service]) => service.environment?.SHARD_COUNT));
		expect(counts.size).toBe(1);
		const shardCount = Number([...counts][0]);
		const held = scaledBots.flatMap(([, service]) => (service.environment?.SHARD_IDS ?? '').split(',').map(Number));
		expect(held.sort()).toEqual(Array.from({ length: shardCount }, (_, id) => id));
		for (const [, service] of scaledBots) {
			expect(service.environment?.DATABASE_URL).toMatch(
				/^postgres:\/\/bot:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/bot$/,
			);
			expect(service.environment?.REDIS_URL).toBe('redis://redis:6379');
		}
	});

	it('runs Redis with every write kept and nothing evicted', () => {
		const command = compose.services.redis?.command?.join(' ');
		expect(command).toContain('--appendonly yes');
		expect(command).toContain('--maxmemory-policy noeviction');
		expect(compose.services.postgres?.image).toBe('postgres:15');
	});
});

describe('monitoring', () => {
	const prometheusSchema = z.object({
		scrape_configs: z.array(z.object({ static_configs: z.array(z.object({ targets: z.array(z.string()) })) })),
	});

	it('has Prometheus scrape every bot process compose can start', () => {
		const prometheus = prometheusSchema.parse(parse(read('monitoring/prometheus.yml')));
		const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets));
		const bots = ['bot', ...scaledBots.map(([name]) => name)];
		expect(targets.sort()).toEqual(bots.map((name) => `${name}:8080`).sort());
		expect(inProfile('monitoring').map(([name]) => name)).toEqual(['prometheus', 'grafana']);
	});

	it('charts only metrics the bot exports', async () => {
		const dashboard = z
			.object({ panels: z.array(z.object({ title: z.string(), targets: z.array(z.object({ expr: z.string() })) })) })
			.parse(JSON.parse(read('monitoring/grafana/dashboards/pixverse-bot.json')));
		const metrics = new BotMetrics({
			openJobs: async () => [],
			pollerLagMs: () => 0,
			statusQueriesPerSecond: 10,
			heldJobs: () => 0,
		});
		const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name));
		const charted = dashboard.panels.flatMap((panel) =>
			panel.targets.flatMap((target) => target.expr.match(/pixverse_bot_\w+/g) ?? []),
		);
		expect(charted.length).toBeGreaterThan(0);
		const histogramSeries = /_(bucket|count|sum)$/;
		for (const name of charted) {
			const family = exported.has(name) ? name : name.replace(histogramSeries, '');
			expect(exported, `${name} is charted but not exported`).toContain(family);
		}
		const titles = dashboard.panels.map((panel) => panel.title).join(' | ');
		for (const topic of [/open jobs/i, /credits/i, /queue depth/i, /status queries/i, /success to post/i]) {
			expect(titles).toMatch(topic);
		}
	});
});
