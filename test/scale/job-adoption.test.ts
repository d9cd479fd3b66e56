import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type DiscordStandIn, type InteractionHandle, startDiscordStandIn } from '../../standins/discord/index.js';
import { MODELVERSE_TEST_KEY, standInEnvironment } from '../../standins/harness.js';
import {
	creditsOf,
	jobEnded,
	postedVideos,
	progressReply,
	runVideo,
	someMember,
	visibleText,
} from '../../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../../standins/modelverse/modelverse-standin.js';
import { freePort, type PostgresServer, startPostgresServer } from '../../standins/servers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../../standins/servers/redis-server.js';
import { type BotProcess, spawnBot } from '../support/bot-process.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

// 360p costs 1 credit a second.
const FIVE_CREDITS = { prompt: 'a lighthouse in the fog', resolution: '360p', duration: 5 } as const;
/** Short, so a killed process's jobs are taken over within seconds: its locks renewed, and checked, every second. */
const LEASE_SECONDS = '3';

let server: PostgresServer;
let redis: RedisServer;
let dataDir: string;
let databases = 0;
let modelverse: ModelverseStandIn;
let discords: DiscordStandIn[] = [];
let bots: BotProcess[] = [];
let proxies: TcpProxy[] = [];

beforeAll(async () => {
	[server, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
	dataDir = mkdtempSync(join(tmpdir(), 'pixverse-adoption-'));
});

afterAll(async () => {
	await Promise.all([server?.stop(), redis?.close()]);
	rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
	await Promise.all(bots.map((bot) => bot.stop('SIGKILL')));
	// Each test has a database of its own; the queue's items of the last one would name jobs it does not have.
	await redis.stop();
	await redis.start();
	for (const discord of discords) {
		expect(discord.validationFailures).toEqual([]);
		expect(discord.unhandledRoutes).toEqual([]);
	}
	await Promise.all([
		...discords.map((discord) => discord.close()),
		...proxies.map((proxy) => proxy.close()),
		modelverse?.close(),
	]);
	discords = [];
	bots = [];
	proxies = [];
});

interface Started {
	process: BotProcess;
	/** Its Prometheus metrics, as an operator scrapes them. */
	metrics(): Promise<string>;
}

/** One bot process, as production runs it, on the test's database, the shared provider and the given Discord. */
async function startBot(
	discord: DiscordStandIn,
	databaseUrl: string,
	instanceId: string,
	env: Record<string, string> = {},
): Promise<Started> {
	const port = await freePort();
	const process = spawnBot({
		...standInEnvironment(discord, modelverse, dataDir),
		DATABASE_URL: databaseUrl,
		REDIS_URL: redis.url,
		INSTANCE_ID: instanceId,
		HEALTH_PORT: String(port),
		...env,
	});
	bots.push(process);
	await process.waitForLine('bot ready', 30_000);
	return { process, metrics: async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text() };
}

/** Discord routes a server to shard `(guild_id >> 22) % 2`: one server on each of two shards. */
const ON_SHARD_0 = { id: '1575342975129485315', channels: [{ id: '1575342975129485316' }] };
const ON_SHARD_1 = { id: '1575342975125291011', channels: [{ id: '1575342975125291012' }] };

/** A new database, a provider holding every task, and a Discord of the stand-in's own server or of `guilds`. */
async function setUp(guilds?: Array<typeof ON_SHARD_0>): Promise<{ databaseUrl: string; discord: DiscordStandIn }> {
	databases += 1;
	const databaseUrl = await server.createDatabase(`adoption_${databases}`);
	modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, hold: true });
	const discord = await startDiscordStandIn(guilds ? { guilds } : {});
	discords.push(discord);
	return { databaseUrl, discord };
}

/** How many calls of a route the process made to the provider, whatever their outcome. */
function modelverseCalls(metrics: string, route: 'submit' | 'status'): number {
	const pattern = new RegExp(
		`^pixverse_bot_modelverse_request_duration_seconds_count\\{[^}]*route="${route}"[^}]*\\} (\\d+)$`,
		'gm',
	);
	return [...metrics.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/** Whether the job's task is at the provider: queued there, or already rendering by the time its reply is read. */
const atProvider = (handle: InteractionHandle) =>
	['Queued at the video service', 'Rendering'].some((shown) => visibleText(handle.original()).includes(shown));

/** The open-job queue's items in Redis, by state, read with BullMQ's own key layout. */
async function queueItems(): Promise<{ active: number; locked: number; waiting: number }> {
	const client = new Redis(redis.url);
	// The test's Redis holds this test's one queue: its name (from the bot's token) need not be known.
	const total = async (state: string, count: (key: string) => Promise<number>) => {
		let sum = 0;
		for (const key of await client.keys(`bull:open-jobs-*:${state}`)) sum += await count(key);
		return sum;
	};
	try {
		return {
			active: await total('active', (key) => client.llen(key)),
			locked: (await client.keys('bull:open-jobs-*:lock')).length,
			waiting: (await total('wait', (key) => client.llen(key))) + (await total('delayed', (key) => client.zcard(key))),
		};
	} finally {
		client.disconnect();
	}
}

const submitsReceived = () => modelverse.received.filter((request) => request.route === 'submit').length;

/** The ids of the jobs whose task the process sent, from its log. */
function submittedJobIds(bot: BotProcess): string[] {
	return bot.lines
		.filter((line) => line.includes('"task submitted"'))
		.map((line) => /"jobId":"([^"]+)"/.exec(line)?.[1] ?? '');
}

it('a process killed while its jobs render has them adopted by the survivor: each video posted once, each task submitted once, each job charged once', async () => {
	const { databaseUrl, discord } = await setUp();
	const first = await startBot(discord, databaseUrl, 'first', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	const members = [someMember(1), someMember(2), someMember(3)];
	const handles = members.map((user) => runVideo({ discord }, 'text', FIVE_CREDITS, { user }));
	await discord.waitFor(() => modelverse.submissions.length === members.length, 15_000);
	for (const handle of handles) await progressReply({ discord }, handle, 10_000);
	// The only worker yet took every item: the operator sees where the jobs are followed.
	expect(await first.metrics()).toMatch(/^pixverse_bot_held_jobs 3$/m);

	// Started only now: the members' commands reached the first process alone, as its shard's would.
	const second = await startBot(discord, databaseUrl, 'second', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	await first.process.stop('SIGKILL');
	await second.process.waitForLine('took over a job', 20_000);

	for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');
	for (const handle of handles) expect(await jobEnded({ discord }, handle, 20_000)).toContain('Done');
	for (const user of members) {
		expect(postedVideos({ discord }, user.id)).toHaveLength(1);
		expect(await creditsOf({ discord }, user)).toMatchObject({ member: 5, memberRunning: 0 });
	}
	expect(modelverse.submissions).toHaveLength(members.length);
	expect(submitsReceived()).toBe(members.length);
	expect(await creditsOf({ discord }, members[0])).toMatchObject({ server: 15, serverRunning: 0 });
});

/**
 * The first process takes a member's job to delivery and is killed there, `stall` holding it at the chosen step; the
 * second adopts the job and ends it. Returns what the member's channel shows afterwards.
 */
async function killedWhileDelivering(stall: (discord: DiscordStandIn) => { end(): void } | undefined) {
	const { databaseUrl, discord } = await setUp();
	const first = await startBot(discord, databaseUrl, 'first', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	const user = someMember(1);
	const handle = runVideo({ discord }, 'text', FIVE_CREDITS, { user });
	const taskId = await discord.waitFor(() => modelverse.submissions[0]?.taskId, 15_000);
	const second = await startBot(discord, databaseUrl, 'second', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	const held = stall(discord);
	modelverse.complete(taskId, 'Success');
	await discord.waitFor(() => visibleText(handle.original()).includes('being posted'), 15_000);
	return { discord, handle, user, first, second, held };
}

it('a process killed while downloading a finished video has it adopted: the survivor downloads it again and posts it once, charged once', async () => {
	const { discord, handle, user, first, second } = await killedWhileDelivering(() => {
		modelverse.injectFault('download', { delayMs: 60_000 });
		return undefined;
	});
	await first.process.stop('SIGKILL');
	await second.process.waitForLine('took over a job', 20_000);

	expect(await jobEnded({ discord }, handle, 20_000)).toContain('Done');
	expect(postedVideos({ discord }, user.id)).toHaveLength(1);
	expect(await creditsOf({ discord }, user)).toMatchObject({ member: 5, memberRunning: 0 });
	expect(submitsReceived()).toBe(1);
});

it('a process cut off from Redis while it downloads a finished video posts nothing once its lock may have lapsed: the sibling that took the job over posts it, once', async () => {
	const { databaseUrl, discord } = await setUp();
	const redisUrl = new URL(redis.url);
	const proxy = await startTcpProxy(Number(redisUrl.port));
	proxies.push(proxy);
	redisUrl.port = String(proxy.port);
	const first = await startBot(discord, databaseUrl, 'first', {
		OWNER_LEASE_SECONDS: LEASE_SECONDS,
		REDIS_URL: redisUrl.href,
	});
	const user = someMember(1);
	const handle = runVideo({ discord }, 'text', FIVE_CREDITS, { user });
	const taskId = await discord.waitFor(() => modelverse.submissions[0]?.taskId, 15_000);
	const second = await startBot(discord, databaseUrl, 'second', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	let answerDownload = () => {};
	modelverse.injectFault('download', { until: new Promise<void>((resolve) => (answerDownload = resolve)) });
	modelverse.complete(taskId, 'Success');
	await discord.waitFor(() => modelverse.received.some((request) => request.route === 'download'), 15_000);

	// The first process lives on, its download under way, but can no longer renew its lock.
	proxy.blackhole();
	await second.process.waitForLine('took over a job', 20_000);
	expect(await jobEnded({ discord }, handle, 20_000)).toContain('Done');
	answerDownload();
	await discord.waitFor(
		() =>
			postedVideos({ discord }, user.id).length > 1 ||
			first.process.lines.some((line) => line.includes('video not delivered yet')),
		15_000,
	);

	expect(postedVideos({ discord }, user.id)).toHaveLength(1);
	// An upload Discord turned away (a 429 on the reply's webhook, tried again after it) made no message.
	const uploads = discord.requests.filter(
		(request) => request.method === 'POST' && request.files.length > 0 && request.status < 300,
	);
	expect(uploads).toHaveLength(1);
	expect(second.process.lines.some((line) => line.includes('job delivered'))).toBe(true);
	expect(modelverse.submissions).toHaveLength(1);
	expect(submitsReceived()).toBe(1);
});

it('a process killed while posting, after Discord made the message but before it heard so, has the job adopted: the survivor finds the post and makes no second one', async () => {
	const { discord, handle, user, first, second, held } = await killedWhileDelivering((stand) =>
		stand.failRoutes({ method: 'POST', path: /^\/webhooks\/\d+\/[^/]+$/ }, { hold: true }),
	);
	const [posted] = await discord.waitFor(
		() => postedVideos({ discord }, user.id).length > 0 && postedVideos({ discord }, user.id),
		15_000,
	);
	await first.process.stop('SIGKILL');
	held?.end();
	await second.process.waitForLine('took over a job', 20_000);

	expect(await jobEnded({ discord }, handle, 20_000)).toContain('Done');
	expect(visibleText(handle.original())).toContain(posted?.id);
	expect(postedVideos({ discord }, user.id)).toEqual([posted]);
	const uploads = discord.requests.filter((request) => request.method === 'POST' && request.files.length > 0);
	expect(uploads).toHaveLength(1);
	expect(await creditsOf({ discord }, user)).toMatchObject({ member: 5, memberRunning: 0 });
});

it('a process killed with one job mid-submit and one turned away by a 429 has both adopted: the first ends as outcome unknown with its credits returned, the second is sent once', async () => {
	const { databaseUrl, discord } = await setUp();
	const first = await startBot(discord, databaseUrl, 'first', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	let answerSubmit = () => {};
	modelverse.injectFault('submit', { until: new Promise<void>((resolve) => (answerSubmit = resolve)) });
	// Retry-After far beyond the test: the first process would not send it again before it is killed.
	modelverse.injectFault('submit', { status: 429, retryAfterSeconds: 600 });
	const [midSubmit, turnedAway] = [someMember(1), someMember(2)];
	const cutOff = runVideo({ discord }, 'text', FIVE_CREDITS, { user: midSubmit });
	await discord.waitFor(() => submitsReceived() === 1, 15_000);
	const waiting = runVideo({ discord }, 'text', FIVE_CREDITS, { user: turnedAway });
	await discord.waitFor(() => visibleText(waiting.original()).includes('busy'), 15_000);

	const second = await startBot(discord, databaseUrl, 'second', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	await first.process.stop('SIGKILL');
	expect(await jobEnded({ discord }, cutOff, 20_000)).toContain('did not confirm');
	await second.process.waitForLine('may have been billed');
	const { taskId } = await discord.waitFor(() => modelverse.submissions[0], 15_000);
	modelverse.complete(taskId, 'Success');
	expect(await jobEnded({ discord }, waiting, 20_000)).toContain('Done');
	// The provider answers the cut-off submit only now, having made its task as a real one would.
	answerSubmit();
	await discord.waitFor(() => modelverse.submissions.length === 2, 15_000);

	expect(submitsReceived()).toBe(3);
	expect(postedVideos({ discord }, midSubmit.id)).toHaveLength(0);
	expect(postedVideos({ discord }, turnedAway.id)).toHaveLength(1);
	expect(await creditsOf({ discord }, midSubmit)).toMatchObject({ member: 0, memberRunning: 0 });
	expect(await creditsOf({ discord }, turnedAway)).toMatchObject({ member: 5, memberRunning: 0 });
});

it('Redis lost with every queue item in it while jobs render: the sweeps queue every open job again from the store, and each video is posted once', async () => {
	// The commands go to the stand-in's first server, on shard 0: they reach the first process.
	const { databaseUrl, discord } = await setUp([ON_SHARD_0, ON_SHARD_1]);
	const env = { OWNER_LEASE_SECONDS: LEASE_SECONDS, SHARD_COUNT: '2' };
	const pair = [
		await startBot(discord, databaseUrl, 'first', { ...env, SHARD_IDS: '0' }),
		await startBot(discord, databaseUrl, 'second', { ...env, SHARD_IDS: '1' }),
	];
	const members = [someMember(1), someMember(2), someMember(3)];
	const handles = members.map((user) => runVideo({ discord }, 'text', FIVE_CREDITS, { user }));
	for (const handle of handles) await discord.waitFor(() => atProvider(handle), 30_000);

	// The test's Redis saves nothing: it comes back empty, every item and lock gone.
	await redis.stop();
	await sleep(2_000);
	await redis.start();
	for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');
	for (const handle of handles) expect(await jobEnded({ discord }, handle, 45_000)).toContain('Done');

	for (const user of members) {
		expect(postedVideos({ discord }, user.id)).toHaveLength(1);
		expect(await creditsOf({ discord }, user)).toMatchObject({ member: 5, memberRunning: 0 });
	}
	expect(submitsReceived()).toBe(members.length);
	for (const { process } of pair) expect(process.lines.filter((line) => line.includes('"level":60'))).toEqual([]);
});

it('a second process started while the first has a job mid-submit and one rendering leaves both alone', async () => {
	const { databaseUrl, discord } = await setUp();
	const first = await startBot(discord, databaseUrl, 'first', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	const rendering = someMember(1);
	const midSubmit = someMember(2);
	const handles = new Map<string, InteractionHandle>();
	handles.set(rendering.id, runVideo({ discord }, 'text', FIVE_CREDITS, { user: rendering }));
	await discord.waitFor(() => modelverse.submissions.length === 1, 15_000);
	let answerSubmit = () => {};
	modelverse.injectFault('submit', { until: new Promise<void>((resolve) => (answerSubmit = resolve)) });
	handles.set(midSubmit.id, runVideo({ discord }, 'text', FIVE_CREDITS, { user: midSubmit }));
	await discord.waitFor(() => submitsReceived() === 2, 15_000);

	const second = await startBot(discord, databaseUrl, 'second', { OWNER_LEASE_SECONDS: LEASE_SECONDS });
	// Long enough for the lease to have lapsed twice over, had the first process not kept it, and sweeps to run.
	await sleep(7_000);
	answerSubmit();
	await discord.waitFor(() => modelverse.submissions.length === 2, 15_000);
	for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');
	for (const handle of handles.values()) expect(await jobEnded({ discord }, handle, 20_000)).toContain('Done');

	for (const handle of handles.values()) expect(visibleText(handle.original())).not.toContain('did not confirm');
	for (const user of [rendering, midSubmit]) expect(postedVideos({ discord }, user.id)).toHaveLength(1);
	const secondMetrics = await second.metrics();
	expect(modelverseCalls(secondMetrics, 'status')).toBe(0);
	expect(modelverseCalls(secondMetrics, 'submit')).toBe(0);
	expect(modelverseCalls(await first.metrics(), 'submit')).toBe(2);
	const jobIds = submittedJobIds(first.process);
	expect(jobIds).toHaveLength(2);
	expect(second.process.lines.filter((line) => jobIds.some((jobId) => line.includes(jobId)))).toEqual([]);
	expect(modelverse.submissions).toHaveLength(2);
});

it('both processes stopped with SIGTERM hand their jobs back to the queue, and once started again follow them on, posting each once', async () => {
	// Each process holds one of the two servers' shards.
	const guilds = [ON_SHARD_0, ON_SHARD_1];
	const { databaseUrl, discord } = await setUp(guilds);
	const shards = [
		{ instanceId: 'first', env: { SHARD_COUNT: '2', SHARD_IDS: '0' } },
		{ instanceId: 'second', env: { SHARD_COUNT: '2', SHARD_IDS: '1' } },
	];
	const running = await Promise.all(
		shards.map(({ instanceId, env }) => startBot(discord, databaseUrl, instanceId, env)),
	);
	const members = [someMember(1), someMember(2)];
	const handles = guilds.map((guild, index) =>
		runVideo({ discord }, 'text', FIVE_CREDITS, { guildId: guild.id, user: someMember(index + 1) }),
	);
	await discord.waitFor(() => modelverse.submissions.length === 2, 15_000);
	for (const handle of handles) await progressReply({ discord }, handle, 10_000);

	const stopped = await Promise.all(running.map(({ process }) => process.stop('SIGTERM')));
	expect(stopped.map(({ code }) => code)).toEqual([0, 0]);
	// Handed back, not left to lapse: no item is active or locked, both wait in the queue for the next worker.
	expect(await queueItems()).toEqual({ active: 0, locked: 0, waiting: 2 });
	await Promise.all(shards.map(({ instanceId, env }) => startBot(discord, databaseUrl, instanceId, env)));

	for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');
	for (const [index, handle] of handles.entries()) {
		expect(await jobEnded({ discord }, handle, 20_000)).toContain('Done');
		expect(postedVideos({ discord }, members[index]?.id, guilds[index]?.channels[0]?.id)).toHaveLength(1);
		const credits = await creditsOf({ discord }, members[index], guilds[index]?.id);
		expect(credits).toMatchObject({ member: 5, memberRunning: 0 });
	}
	expect(modelverse.submissions).toHaveLength(2);
	expect(submitsReceived()).toBe(2);
});

it('a process killed with jobs waiting in the line of a server no survivor holds: the survivor runs the line on, posting each once, and ends one that waited too long with its credits back', async () => {
	// The first process holds the stand-in's first server (shard 0), the survivor the other.
	const { databaseUrl, discord } = await setUp([ON_SHARD_0, ON_SHARD_1]);
	const env = {
		OWNER_LEASE_SECONDS: LEASE_SECONDS,
		SHARD_COUNT: '2',
		MAX_RUNNING_JOBS_PER_SERVER: '1',
		QUEUE_DEADLINE_MINUTES: '0.5',
	};
	const first = await startBot(discord, databaseUrl, 'first', { ...env, SHARD_IDS: '0' });
	await startBot(discord, databaseUrl, 'second', { ...env, SHARD_IDS: '1' });
	const members = [someMember(1), someMember(2), someMember(3)];
	// The three commands race for the one running slot: each prompt names its member, so the order is read, not assumed.
	const handles = members.map((user, index) =>
		runVideo({ discord }, 'text', { ...FIVE_CREDITS, prompt: `a lighthouse, take ${index}` }, { user }),
	);
	const memberOf = (submission: { body: { input?: { prompt?: string } } } | undefined) =>
		Number(/take (\d)/.exec(submission?.body.input?.prompt ?? '')?.[1]);
	const running = memberOf(await discord.waitFor(() => modelverse.submissions[0], 15_000));
	for (const [index, handle] of handles.entries()) {
		const shown = () =>
			index === running ? atProvider(handle) : visibleText(handle.original()).includes('Waiting in line');
		await discord.waitFor(shown, 15_000);
	}

	// Either process's worker may hold the running job; after the kill the survivor holds every one.
	await first.process.stop('SIGKILL');
	modelverse.complete(modelverse.submissions[0]?.taskId ?? '', 'Success');
	expect(await jobEnded({ discord }, handles[running] as InteractionHandle, 20_000)).toContain('Done');
	// The next job's turn came as the first ended; it renders while the last one's wait runs out.
	const nextSubmission = await discord.waitFor(() => modelverse.submissions[1], 15_000);
	const next = memberOf(nextSubmission);
	const last = [0, 1, 2].find((index) => index !== running && index !== next) ?? -1;
	expect(await jobEnded({ discord }, handles[last] as InteractionHandle, 40_000)).toContain('waited in line');
	modelverse.complete(nextSubmission.taskId, 'Success');
	expect(await jobEnded({ discord }, handles[next] as InteractionHandle, 20_000)).toContain('Done');

	const [ranFirst, ranNext, waitedTooLong] = [running, next, last].map((index) => members[index] ?? members[0]);
	for (const user of [ranFirst, ranNext]) expect(postedVideos({ discord }, user?.id)).toHaveLength(1);
	expect(postedVideos({ discord }, waitedTooLong?.id)).toHaveLength(0);
	// Only a process holding the server's shard answers its members' commands: one takes the shard back to ask.
	await startBot(discord, databaseUrl, 'returned', { ...env, SHARD_IDS: '0' });
	for (const user of [ranFirst, ranNext]) {
		expect(await creditsOf({ discord }, user)).toMatchObject({ member: 5, memberRunning: 0 });
	}
	expect(await creditsOf({ discord }, waitedTooLong)).toMatchObject({ member: 0, memberRunning: 0 });
	expect(modelverse.submissions).toHaveLength(2);
	expect(submitsReceived()).toBe(2);
});
