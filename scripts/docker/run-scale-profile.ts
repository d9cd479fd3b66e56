import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { z } from 'zod';
import { startDiscordStandIn } from '../../standins/discord/index.js';
import { startModelverseStandIn } from '../../standins/modelverse/modelverse-standin.js';
import { freePort, startPostgresServer } from '../../standins/servers/postgres-server.js';
import { startRedisServer } from '../../standins/servers/redis-server.js';
import { pass, seconds } from './check-report.js';
import { ContainerRun, readImageConfig } from './container-run.js';
import { type PrometheusRun, startPrometheus } from './prometheus-check.js';

/**
 * compose.yaml's `scale` profile, run as far as this machine allows: the two bot services of the profile, each a
 * container of the built image with the environment Compose resolves for it, on one PostgreSQL 15 and one redis-server
 * started with the profile's `command`. The official postgres and redis images cannot be pulled here, so Debian's
 * servers stand at the addresses the profile names (the hosts `postgres` and `redis` become 127.0.0.1). Then one
 * container is killed with a job it holds mid-render, and the other posts both videos, each once.
 */
const image = process.argv[2];
if (!image) throw new Error('usage: run-scale-profile.ts <image>');

const NODE_UID = 1000;
const MODELVERSE_KEY = 'docker-scale-modelverse-key-5e2a';
const STARTUP_TIMEOUT_MS = 60_000;
/** The profile's own lock (`OWNER_LEASE_SECONDS` unset: 30 s) plus a stalled check, a download and a post. */
const TAKEOVER_TIMEOUT_MS = 90_000;
/** Discord routes a server to shard `(guild_id >> 22) % 2`: one server on each. */
const GUILDS = [
	{ id: '1575342975129485315', channels: [{ id: '1575342975129485316' }] },
	{ id: '1575342975125291011', channels: [{ id: '1575342975125291012' }] },
];

const composeServices = z.object({
	services: z.object({
		'bot-shard-0': z.object({ environment: z.record(z.string(), z.string()) }),
		'bot-shard-1': z.object({ environment: z.record(z.string(), z.string()) }),
		postgres: z.object({ image: z.string() }),
		redis: z.object({ image: z.string(), command: z.array(z.string()) }),
		prometheus: z.object({ image: z.string() }),
		grafana: z.object({ image: z.string() }),
	}),
});

const profile = await resolvedProfile();
const [redisServer, ...redisArgs] = profile.services.redis.command;
if (redisServer !== 'redis-server') throw new Error(`the redis service runs ${redisServer}, not redis-server`);
const postgres = await startPostgresServer();
const redis = await startRedisServer(redisArgs);
const discord = await startDiscordStandIn({ guilds: GUILDS });
const modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY, hold: true });
const volumes: string[] = [];
const containers: ContainerRun[] = [];
const config = await readImageConfig(image);
let prometheus: PrometheusRun | undefined;
let failed = false;
try {
	const databaseUrl = await postgres.createDatabase('bot');
	// Each container has port 8080 to itself under Compose; here they share the host's network, so each gets its own.
	const ports = new Map([
		['bot', await freePort()],
		['bot-shard-0', await freePort()],
		['bot-shard-1', await freePort()],
	]);
	const onHost = (service: 'bot-shard-0' | 'bot-shard-1') => {
		const environment = profile.services[service].environment;
		return {
			...environment,
			DATABASE_URL: sameDatabaseOnHost(environment.DATABASE_URL, databaseUrl),
			REDIS_URL: sameRedisOnHost(environment.REDIS_URL, redis.url),
			HEALTH_PORT: String(ports.get(service)),
			// What the operator's .env holds, here the stand-ins'.
			DISCORD_TOKEN: discord.botToken,
			DISCORD_API_URL: discord.apiUrl,
			MODELVERSE_API_KEY: MODELVERSE_KEY,
			MODELVERSE_BASE_URL: modelverse.baseUrl,
		};
	};
	const shard0 = await startContainer('pixverse-bot-shard-0', onHost('bot-shard-0'));
	const shard1 = await startContainer('pixverse-bot-shard-1', onHost('bot-shard-1'));
	pass(`${profile.services.postgres.image} and ${profile.services.redis.image} stood in for by Debian's servers`);
	// The single SQLite bot is kept down (`--scale bot=0`): its target shows as down, as it would.
	prometheus = await startPrometheus(
		new Map([...ports].map(([service, port]) => [`${service}:8080`, `127.0.0.1:${port}`])),
	);
	pass(`${profile.services.prometheus.image} stood in for by Debian's prometheus, with monitoring/prometheus.yml`);

	for (const guild of GUILDS) {
		discord.runCommand({
			name: 'video',
			subcommand: 'text',
			guildId: guild.id,
			options: { prompt: `a harbour at dawn, ${guild.id}`, resolution: '360p', duration: 5 },
		});
	}
	await discord.waitFor(() => modelverse.submissions.length === 2, STARTUP_TIMEOUT_MS);
	// Whichever container's worker took a job sent it; the victim is one that holds a job.
	const victim = [shard0, shard1].find((run) => run.output.some((line) => line.includes('"task submitted"'))) ?? shard0;
	const survivor = victim === shard0 ? shard1 : shard0;
	victim.kill();
	pass(`${victim.name} killed (SIGKILL) while holding a job mid-render`);
	for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');

	const startedAt = performance.now();
	for (const guild of GUILDS) {
		const channelId = guild.channels[0]?.id ?? '';
		await discord.waitFor(() => videosIn(channelId).length > 0, TAKEOVER_TIMEOUT_MS);
	}
	await survivor.waitForLog('"took over a job"', (line) => line.includes('"took over a job"'), 1_000);
	const posts = GUILDS.map((guild) => videosIn(guild.channels[0]?.id ?? '').length);
	if (posts.some((count) => count !== 1)) throw new Error(`videos posted per server: ${posts.join(', ')}, not 1 each`);
	if (modelverse.submissions.length !== 2) throw new Error(`${modelverse.submissions.length} tasks sent, not 2`);
	pass(`${survivor.name} took the job over and both videos were posted once each (${seconds(startedAt)})`);
	await checkMonitoring(prometheus, survivor === shard0 ? 'bot-shard-0' : 'bot-shard-1');

	const { exitCode } = await survivor.stop(15_000);
	if (exitCode !== 0) throw new Error(`SIGTERM: ${survivor.name} exited with ${exitCode}`);
	pass(`SIGTERM: ${survivor.name} exited 0`);
} catch (error) {
	failed = true;
	console.error(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
	for (const run of containers) console.error(`${run.name} output:\n${run.output.slice(-20).join('\n')}`);
} finally {
	for (const run of containers) {
		run.kill();
		await run.remove();
	}
	await Promise.all([discord.close(), modelverse.close(), redis.close(), postgres.stop(), prometheus?.stop()]);
	for (const volume of volumes) rmSync(volume, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/** The profile's services as Compose resolves them, with the operator's `.env` standing empty where there is none. */
async function resolvedProfile(): Promise<z.infer<typeof composeServices>> {
	const madeEnv = !existsSync('.env');
	if (madeEnv) writeFileSync('.env', '');
	try {
		const profiles = ['--profile', 'scale', '--profile', 'monitoring'];
		const { stdout } = await promisify(execFile)('docker-compose', [...profiles, 'config'], {
			env: { ...process.env, POSTGRES_PASSWORD: process.env.POSTGRES_PASSWORD ?? 'compose-check' },
		});
		return composeServices.parse(parse(stdout));
	} finally {
		if (madeEnv) rmSync('.env');
	}
}

/** The profile's database URL, its host `postgres` replaced by the server started here (same database name). */
function sameDatabaseOnHost(profileUrl: string | undefined, hostUrl: string): string {
	const wanted = new URL(profileUrl ?? '');
	const host = new URL(hostUrl);
	if (wanted.hostname !== 'postgres' || wanted.pathname !== host.pathname) {
		throw new Error(`the profile's DATABASE_URL names ${wanted.hostname}${wanted.pathname}, not postgres/bot`);
	}
	return hostUrl;
}

function sameRedisOnHost(profileUrl: string | undefined, hostUrl: string): string {
	if (new URL(profileUrl ?? '').hostname !== 'redis') throw new Error(`the profile's REDIS_URL is ${profileUrl}`);
	return hostUrl;
}

async function startContainer(name: string, env: Record<string, string>): Promise<ContainerRun> {
	const volume = mkdtempSync('/var/tmp/pixverse-bot-volume-');
	chownSync(volume, NODE_UID, NODE_UID);
	chmodSync(volume, 0o755);
	volumes.push(volume);
	const startedAt = performance.now();
	const run = await ContainerRun.start({
		image: image as string,
		name,
		config,
		env,
		volume: { hostPath: volume, containerPath: '/data' },
	});
	containers.push(run);
	await run.waitForLog('"bot ready"', (line) => line.includes('"msg":"bot ready"'), STARTUP_TIMEOUT_MS);
	const shards = env.SHARD_IDS ?? '?';
	pass(`${name}: SHARD_COUNT=${env.SHARD_COUNT} SHARD_IDS=${shards} from compose, ready (${seconds(startedAt)})`);
	return run;
}

function videosIn(channelId: string) {
	return discord
		.channelMessages(channelId)
		.filter((message) => message.attachments.some((file) => file.filename.endsWith('.mp4')));
}

/**
 * What the monitoring profile shows: Prometheus scraped the survivor and finds the killed process and the single bot
 * down; every query of the Grafana dashboard runs, and each answers with data but the errors panel (there were none).
 */
async function checkMonitoring(run: PrometheusRun, survivor: string): Promise<void> {
	await sleep(3_000);
	const up = await run.targetsUp();
	const expected = new Map([
		['bot', 0],
		['bot-shard-0', survivor === 'bot-shard-0' ? 1 : 0],
		['bot-shard-1', survivor === 'bot-shard-1' ? 1 : 0],
	]);
	for (const [target, value] of expected) {
		if (up.get(`${target}:8080`) !== value)
			throw new Error(`up{${target}} is ${up.get(`${target}:8080`)}, not ${value}`);
	}
	pass(`Prometheus: ${survivor} up, the killed process and the single bot (kept down) down`);
	const answered = await run.dashboardQueries();
	const empty = answered.filter(({ panel, series }) => series === 0 && !/errors/i.test(panel));
	if (empty.length > 0) throw new Error(`dashboard queries without data: ${empty.map(({ expr }) => expr).join('; ')}`);
	pass(`the Grafana dashboard's ${answered.length} queries all run on Prometheus, every panel but errors with data`);
}
