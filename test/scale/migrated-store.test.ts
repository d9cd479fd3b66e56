import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../../standins/discord/index.js';
import { MODELVERSE_TEST_KEY } from '../../standins/harness.js';
import { creditsOf, jobEnded, postedVideos, progressReply, runVideo, someMember } from '../../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../../standins/modelverse/modelverse-standin.js';
import { type PostgresServer, startPostgresServer } from '../../standins/servers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../../standins/servers/redis-server.js';
import { startBotAgainst } from '../support/bot-against-stand-ins.js';
import { migrateStore } from './support/migrate-store-cli.js';

const run = promisify(execFile);
const usageScript = fileURLToPath(new URL('../../scripts/usage.ts', import.meta.url));
const thisMonth = () => new Date().toISOString().slice(0, 7);

const FIVE_CREDITS = { prompt: 'a kite over the dunes', resolution: '360p', duration: 5 } as const;

let server: PostgresServer;
let redis: RedisServer;
let modelverse: ModelverseStandIn;
let discord: DiscordStandIn;
let dataDir: string;

beforeAll(async () => {
	[server, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
	modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, hold: true });
	discord = await startDiscordStandIn();
	dataDir = mkdtempSync(join(tmpdir(), 'pixverse-migrated-'));
});

afterAll(async () => {
	expect(discord.validationFailures).toEqual([]);
	expect(discord.unhandledRoutes).toEqual([]);
	await Promise.all([discord?.close(), modelverse?.close()]);
	await Promise.all([server?.stop(), redis?.close()]);
	rmSync(dataDir, { recursive: true, force: true });
});

it('a store moved from SQLite to PostgreSQL with jobs still rendering resumes them through the queue and posts each once', async () => {
	const sqliteUrl = `sqlite://${join(dataDir, 'bot.sqlite')}`;
	const members = [someMember(1), someMember(2)];
	const onSqlite = await startBotAgainst(discord, modelverse, { DATABASE_URL: sqliteUrl });
	const handles = members.map((user) => runVideo({ discord }, 'text', FIVE_CREDITS, { user }));
	for (const handle of handles) await progressReply({ discord }, handle);
	await discord.waitFor(() => modelverse.submissions.length >= 2);
	await onSqlite.close();

	const postgresUrl = await server.createDatabase('moved');
	const moved = await migrateStore('--from', sqliteUrl, '--to', postgresUrl);
	expect(moved.code).toBe(0);

	// As the scale profile runs it: the moved jobs have no queue items yet, and the start queues them.
	const onPostgres = await startBotAgainst(discord, modelverse, { DATABASE_URL: postgresUrl, REDIS_URL: redis.url });
	try {
		for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');
		for (const handle of handles) expect(await jobEnded({ discord }, handle, 20_000)).toContain('Your video:');
		expect(modelverse.submissions).toHaveLength(2);
		for (const user of members) {
			expect(postedVideos({ discord }, user.id)).toHaveLength(1);
			expect(await creditsOf({ discord }, user)).toMatchObject({ member: 5, memberRunning: 0 });
		}
		// The month's export reads the moved store as the bot does: both tasks, sent before the move, succeeded.
		const { stdout } = await run(
			process.execPath,
			['--import', 'tsx', usageScript, '--month', thisMonth(), '--format', 'json'],
			{
				env: { PATH: process.env.PATH ?? '', DATABASE_URL: postgresUrl },
			},
		);
		const usage = JSON.parse(stdout) as { tasks: Array<{ task_id: string; outcome: string }> };
		const byTask = (rows: Array<{ task_id: string; outcome: string }>) =>
			rows.map(({ task_id, outcome }) => `${task_id} ${outcome}`).sort();
		expect(byTask(usage.tasks)).toEqual(
			byTask(modelverse.submissions.map(({ taskId }) => ({ task_id: taskId, outcome: 'succeeded' }))),
		);
	} finally {
		await onPostgres.close();
	}
});
