import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { freePort } from '../../standins/servers/postgres-server.js';

const prometheusConfig = z.object({
	global: z.record(z.string(), z.unknown()).optional(),
	scrape_configs: z.array(
		z.object({ job_name: z.string(), static_configs: z.array(z.object({ targets: z.array(z.string()) })) }),
	),
});
const dashboard = z.object({
	panels: z.array(z.object({ title: z.string(), targets: z.array(z.object({ expr: z.string() })) })),
});
const queryAnswer = z.object({
	status: z.string(),
	data: z
		.object({
			result: z.array(
				z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]).optional() }),
			),
		})
		.optional(),
	error: z.string().optional(),
});

export interface PrometheusRun {
	url: string;
	/** Every query the Grafana dashboard charts, as Grafana would send it: the panels answered with data. */
	dashboardQueries(): Promise<Array<{ panel: string; expr: string; series: number }>>;
	/** `up` per scrape target, by the name compose gives it. */
	targetsUp(): Promise<Map<string, number>>;
	stop(): Promise<void>;
}

/**
 * Debian's Prometheus with `monitoring/prometheus.yml` (the monitoring profile's own file), each compose service name
 * in its targets mapped to the address its container listens on here, scraping every second instead of every 15 so a
 * run of a minute has data to chart.
 */
export async function startPrometheus(addresses: ReadonlyMap<string, string>): Promise<PrometheusRun> {
	const config = prometheusConfig.parse(parse(readFileSync('monitoring/prometheus.yml', 'utf8')));
	const named = new Map<string, string>();
	for (const job of config.scrape_configs) {
		for (const group of job.static_configs) {
			group.targets = group.targets.map((target) => {
				const address = addresses.get(target);
				if (!address) throw new Error(`no address stands for the scrape target ${target}`);
				named.set(address, target);
				return address;
			});
		}
	}
	const dir = mkdtempSync(join(tmpdir(), 'pixverse-prometheus-'));
	const configFile = join(dir, 'prometheus.yml');
	writeFileSync(configFile, stringify({ ...config, global: { ...config.global, scrape_interval: '1s' } }));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child: ChildProcess = spawn(
		'prometheus',
		[
			`--config.file=${configFile}`,
			`--storage.tsdb.path=${join(dir, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
		],
		{ stdio: 'ignore' },
	);
	const query = async (expr: string) => {
		const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
		const answer = queryAnswer.parse(await response.json());
		if (answer.status !== 'success') throw new Error(`Prometheus refused ${expr}: ${answer.error}`);
		return answer.data?.result ?? [];
	};
	for (let tries = 0; ; tries++) {
		const ready = await fetch(`${url}/-/ready`).then(
			(response) => response.ok,
			() => false,
		);
		if (ready) break;
		if (tries > 100 || child.exitCode !== null) throw new Error('Prometheus did not become ready');
		await sleep(100);
	}
	return {
		url,
		async dashboardQueries() {
			const panels = dashboard.parse(
				JSON.parse(readFileSync('monitoring/grafana/dashboards/pixverse-bot.json', 'utf8')),
			);
			const answered = [];
			for (const panel of panels.panels) {
				for (const { expr } of panel.targets) {
					answered.push({ panel: panel.title, expr, series: (await query(expr)).length });
				}
			}
			return answered;
		},
		async targetsUp() {
			const up = new Map<string, number>();
			for (const series of await query('up')) {
				up.set(named.get(series.metric.instance ?? '') ?? '?', Number(series.value?.[1]));
			}
			return up;
		},
		async stop() {
			child.kill('SIGTERM');
			if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
