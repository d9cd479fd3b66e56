import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxInWindow } from '../../bench/stats.js';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import { HealthServer } from '../../src/ops/health-server.js';
import { createLogger } from '../../src/ops/logger.js';
import { SharedQueryBudget } from '../../src/storage/shared-query-budget.js';
import { type Harness, MODELVERSE_TEST_KEY, startHarness } from '../../standins/harness.js';
import { postedVideos, runVideo, someMember, visibleText } from '../../standins/journeys.js';
import {
	type ModelverseStandIn,
	type StandInOptions,
	startModelverseStandIn,
} from '../../standins/modelverse/modelverse-standin.js';
import { type RedisServer, startRedisServer } from '../../standins/servers/redis-server.js';

const BUDGET = 4;
/** The shared window's length: one second and the same 10 % margin for network jitter as one process keeps. */
const WINDOW_MS = 1_100;
const silent = createLogger({ level: 'silent', secrets: [] });

/** Every budget asks for permits as fast as it is let for `forMs`, then closes; returns when each was granted. */
async function takeEveryPermit(budgets: SharedQueryBudget[], forMs: number): Promise<number[]> {
	const grantedAt: number[] = [];
	const stopAt = Date.now() + forMs;
	await Promise.all(
		budgets.map(async (budget) => {
			while (Date.now() < stopAt) {
				const answer = await budget.take();
				if ('granted' in answer) grantedAt.push(answer.grantedAtMs);
				else await sleep(answer.retryInMs);
			}
			budget.close();
		}),
	);
	return grantedAt;
}

/** When each status query reached the stand-in provider, answered or not. */
const statusArrivals = (modelverse: ModelverseStandIn) =>
	modelverse.received.filter((request) => request.route === 'status').map((request) => request.at);

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`gave up waiting ${timeoutMs} ms for ${what}`);
		await sleep(50);
	}
}

describe('one status-query budget for every process, through Redis', () => {
	let redis: RedisServer;
	const opened: Array<{ close(): Promise<void> }> = [];

	beforeAll(async () => {
		redis = await startRedisServer();
	});

	afterAll(async () => {
		for (const each of opened.reverse()) await each.close();
		await redis?.close();
	});

	/** Bots as separate processes would be: each its own Discord, store and Redis client; one provider and key. */
	async function startBots(count: number, modelverse: StandInOptions): Promise<[ModelverseStandIn, Harness[]]> {
		const shared = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, ...modelverse });
		opened.push(shared);
		const bots: Harness[] = [];
		for (let index = 0; index < count; index++) {
			const bot = await startHarness({
				sharedModelverse: shared,
				env: { REDIS_URL: redis.url, STATUS_QUERIES_PER_SECOND: String(BUDGET), MAX_RUNNING_JOBS_PER_SERVER: '100' },
			});
			opened.push(bot);
			bots.push(bot);
		}
		return [shared, bots];
	}

	const submit = (bots: Harness[], jobsPerBot: number) =>
		bots.map((bot, botIndex) =>
			Array.from({ length: jobsPerBot }, (_, index) =>
				runVideo(bot, 'text', { prompt: `shared budget job ${botIndex}-${index}` }, { user: someMember(index) }),
			),
		);

	async function expectEachPostedOnce(bots: Harness[], commands: ReturnType<typeof submit>): Promise<void> {
		for (const [botIndex, bot] of bots.entries()) {
			const mine = commands[botIndex] ?? [];
			await bot.discord.waitFor(
				() => mine.every((command) => visibleText(command.original()).includes('Done')),
				60_000,
			);
			for (const index of mine.keys()) expect(postedVideos(bot, someMember(index).id)).toHaveLength(1);
		}
	}

	it('three limiters racing for one budget are granted permits evenly spaced in Redis time, never more than it holds in any window, and about that many', async () => {
		const permits = 5;
		const windowMs = 1_000;
		const budgets = Array.from(
			{ length: 3 },
			// Every grant is used here however late it arrives: this is about the grants' spacing in Redis.
			() =>
				new SharedQueryBudget({
					redisUrl: redis.url,
					apiKey: 'hammered-key',
					permits,
					windowMs,
					sendWithinMs: windowMs,
					logger: silent,
				}),
		);
		const grantedAt = await takeEveryPermit(budgets, 4_000);

		expect(maxInWindow(grantedAt, windowMs)).toBe(permits);
		const sorted = grantedAt.toSorted((a, b) => a - b);
		const gaps = sorted.slice(1).map((at, index) => at - (sorted[index] ?? at));
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(windowMs / permits - 0.001);
		const windowsSpanned = Math.floor((Math.max(...grantedAt) - Math.min(...grantedAt)) / windowMs);
		expect(grantedAt.length).toBeGreaterThanOrEqual(permits * windowsSpanned);
	});

	it('processes given different budgets for one API key all keep to the smallest, and the faster one says so', async () => {
		const warnings: string[] = [];
		const heard = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
		const windowMs = 1_000;
		const strict = new SharedQueryBudget({
			redisUrl: redis.url,
			apiKey: 'mismatched-key',
			permits: 2,
			windowMs,
			sendWithinMs: windowMs,
			logger: silent,
		});
		const loose = new SharedQueryBudget({
			redisUrl: redis.url,
			apiKey: 'mismatched-key',
			permits: 10,
			windowMs,
			sendWithinMs: windowMs,
			logger: heard,
		});
		// A process keeps to a smaller budget from the moment the process given it first asks: here, before the race.
		expect(await strict.take()).toMatchObject({ granted: true });
		const grantedAt = await takeEveryPermit([strict, loose], 3_000);

		const sorted = grantedAt.toSorted((a, b) => a - b);
		const gaps = sorted.slice(1).map((at, index) => at - (sorted[index] ?? at));
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(windowMs / 2 - 0.001);
		expect(warnings.filter((line) => line.includes('smaller STATUS_QUERIES_PER_SECOND'))).toHaveLength(1);
	});

	it('a 429 answered to one bot holds the status queries of every bot on the API key for its Retry-After', async () => {
		const [modelverse, bots] = await startBots(2, { hold: true });
		const commands = submit(bots, 3);
		await until(() => statusArrivals(modelverse).length >= 8, 30_000, 'the jobs to be polled');
		const answeredWith429 = statusArrivals(modelverse).length;
		modelverse.injectFault('status', { status: 429, retryAfterSeconds: 3 });
		await until(() => statusArrivals(modelverse).length > answeredWith429 + 1, 30_000, 'polling to resume');
		const arrivals = statusArrivals(modelverse);
		const toldToWaitAt = arrivals[answeredWith429] as number;
		// A query granted before the pause reached Redis may still arrive just after it; none comes later in the pause.
		const duringPause = arrivals.filter((at) => at > toldToWaitAt + 500 && at < toldToWaitAt + 2_500);
		expect(duringPause).toEqual([]);

		for (const task of modelverse.submissions) modelverse.complete(task.taskId, 'Success');
		await expectEachPostedOnce(bots, commands);
	});

	it('three bots with many open jobs stay within the budget together at the provider, and post every video once', async () => {
		const [modelverse, bots] = await startBots(3, {
			plan: (_body, index) => ({ queueMs: 100, renderMs: 1_000 + (index % 4) * 400, outcome: 'Success' }),
		});
		const commands = submit(bots, 6);

		await expectEachPostedOnce(bots, commands);
		expect(modelverse.submissions).toHaveLength(18);
		// The spacing holds exactly in Redis's time (the test above); between a grant and its arrival here lies each
		// process's own delay, which a loaded machine stretches unevenly, so arrivals are held to the budget's rate over
		// the run, with one window to spare for that delay at its ends: three processes each spending the budget alone
		// send the same queries in a third of the time.
		const arrivals = statusArrivals(modelverse);
		const windows = Math.floor((Math.max(...arrivals) - Math.min(...arrivals)) / WINDOW_MS) + 2;
		expect(arrivals.length).toBeLessThanOrEqual(windows * BUDGET);
	});

	it('sends no status query while Redis is down, says so on /readyz and in the doctor, and resumes when it is back', async () => {
		const [modelverse, bots] = await startBots(2, { hold: true });
		const commands = submit(bots, 3);
		await until(() => statusArrivals(modelverse).length >= 6, 30_000, 'the jobs to be polled');
		const health = await HealthServer.start({
			host: '127.0.0.1',
			port: 0,
			checks: (bots[0] as Harness).bot.healthChecks,
			metrics: (bots[0] as Harness).bot.metrics,
			logger: silent,
		});
		opened.push({ close: () => health.stop() });
		const readyz = async () => {
			const response = await fetch(`${health.url}/readyz`);
			return {
				status: response.status,
				checks: ((await response.json()) as { checks: Record<string, string> }).checks,
			};
		};
		expect(await readyz()).toMatchObject({ status: 200, checks: { 'query-budget': 'ok' } });
		const budgetProblem = (bot: Harness) =>
			bot.bot.healthChecks.readiness.find((check) => check.name === 'query-budget')?.run();
		const doctorEnv = {
			DISCORD_TOKEN: bots[0]?.discord.botToken,
			DISCORD_API_URL: bots[0]?.discord.apiUrl,
			MODELVERSE_API_KEY: MODELVERSE_TEST_KEY,
			MODELVERSE_BASE_URL: modelverse.baseUrl,
			DATABASE_URL: 'sqlite://:memory:',
			REDIS_URL: redis.url,
			STATUS_QUERIES_PER_SECOND: String(BUDGET),
		};
		const where = new URL(redis.url).host;
		expect((await runDoctor(doctorEnv)).report).toContain(
			`ok    query budget (Redis): ${where} answers, maxmemory-policy noeviction`,
		);

		await redis.stop();
		for (const bot of bots) await until(async () => (await budgetProblem(bot)) !== undefined, 10_000, 'the outage');
		const sentBeforeOutage = statusArrivals(modelverse).length;
		const outage = await readyz();
		expect(outage.status).toBe(503);
		expect(outage.checks['query-budget']).toMatch(/^the shared status-query budget in Redis cannot be reached: /);
		expect(outage.checks.modelverse).toBe('ok');
		expect((await runDoctor(doctorEnv)).report).toContain(`FAIL  query budget (Redis): ${where} cannot be reached`);
		await sleep(2_000);
		expect(statusArrivals(modelverse).length).toBe(sentBeforeOutage);

		await redis.start();
		for (const task of modelverse.submissions) modelverse.complete(task.taskId, 'Success');
		await expectEachPostedOnce(bots, commands);
		expect(statusArrivals(modelverse).length).toBeGreaterThan(sentBeforeOutage);
		expect(await readyz()).toMatchObject({ status: 200, checks: { 'query-budget': 'ok' } });
		for (const bot of bots) {
			const messages = bot.logs.entries().map((entry) => entry.msg);
			expect(messages.filter((msg) => String(msg).includes('budget in Redis cannot be reached'))).toHaveLength(1);
			expect(messages.filter((msg) => String(msg).includes('budget in Redis is reached again'))).toHaveLength(1);
		}
		// The spacing holds exactly in Redis's time (the test above); between a grant and its arrival here lies each
		// process's own delay, which a loaded machine stretches unevenly, so arrivals are held to the budget's rate over
		// the run, with one window to spare for that delay at its ends: three processes each spending the budget alone
		// send the same queries in a third of the time.
		const arrivals = statusArrivals(modelverse);
		const windows = Math.floor((Math.max(...arrivals) - Math.min(...arrivals)) / WINDOW_MS) + 2;
		expect(arrivals.length).toBeLessThanOrEqual(windows * BUDGET);
	});

	it('a bot started while Redis is down starts anyway, sends no status query, not even its key check, until Redis is back', async () => {
		await redis.stop();
		const [modelverse, bots] = await startBots(1, {});
		const commands = submit(bots, 2);
		await until(() => modelverse.submissions.length === 2, 10_000, 'the jobs to be submitted');
		await sleep(1_000);
		expect(statusArrivals(modelverse)).toEqual([]);

		await redis.start();
		await expectEachPostedOnce(bots, commands);
	});
});
