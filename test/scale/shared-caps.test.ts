import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { type DiscordStandIn, type InteractionHandle, startDiscordStandIn } from '../../standins/discord/index.js';
import { MODELVERSE_TEST_KEY } from '../../standins/harness.js';
import {
	jobEnded,
	privateAnswer,
	privateAnswerNow,
	progressReplyNow,
	runQuota,
	runVideo,
	someMember,
	usageOf,
} from '../../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../../standins/modelverse/modelverse-standin.js';
import { type PostgresServer, startPostgresServer } from '../../standins/servers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../../standins/servers/redis-server.js';
import { type BotAgainstStandIns, startBotAgainst } from '../support/bot-against-stand-ins.js';

// 360p costs 1 credit a second.
const FIVE_CREDITS = { prompt: 'a paper boat on a pond', resolution: '360p', duration: 5 } as const;

/** A server both processes serve (as during a hand-off between shards), and one of each process's own. */
const SHARED = { id: '380000000000000001', name: 'Shared', channels: [{ id: '380000000000000011' }] };
const FIRST_ONLY = { id: '380000000000000002', name: 'First', channels: [{ id: '380000000000000012' }] };
const SECOND_ONLY = { id: '380000000000000003', name: 'Second', channels: [{ id: '380000000000000013' }] };

/** Only credits decide the races: the running limits are high, and tasks are held until the test ends them. */
const ENV = {
	MAX_RUNNING_JOBS_PER_MEMBER: '20',
	MAX_RUNNING_JOBS_PER_SERVER: '20',
	SERVER_MONTHLY_CAP: '25',
	MONTHLY_CREDIT_CAP: '45',
};

let server: PostgresServer;
let redis: RedisServer;

beforeAll(async () => {
	[server, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
});

afterAll(async () => {
	await Promise.all([server?.stop(), redis?.close()]);
});

/** A bot as one process would run it (its own store, pool and lock), with the stand-in Discord it serves. */
type BotProcess = BotAgainstStandIns & { discord: DiscordStandIn };

/**
 * Two bot processes on one new database and one stand-in Modelverse that holds every task until the test ends it;
 * `processes` names each one's stand-in Discord and settings. Everything is stopped, and each Discord checked, after
 * the test.
 */
async function twoProcesses(
	database: string,
	processes: Array<{ discord: DiscordStandIn; env: Record<string, string> }>,
): Promise<{ modelverse: ModelverseStandIn; bots: [BotProcess, BotProcess] }> {
	const databaseUrl = await server.createDatabase(database);
	const modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, hold: true });
	const discords = [...new Set(processes.map(({ discord }) => discord))];
	const bots: BotProcess[] = [];
	onTestFinished(async () => {
		try {
			await Promise.all(bots.map((bot) => bot.close()));
			for (const discord of discords) {
				expect(discord.validationFailures).toEqual([]);
				expect(discord.unhandledRoutes).toEqual([]);
			}
		} finally {
			await Promise.all([...discords.map((discord) => discord.close()), modelverse.close()]);
		}
	});
	for (const { discord, env } of processes) {
		bots.push({ discord, ...(await startBotAgainst(discord, modelverse, { ...env, DATABASE_URL: databaseUrl })) });
	}
	return { modelverse, bots: bots as [BotProcess, BotProcess] };
}

/** The videos the bot posted in a channel of a stand-in Discord, by the member each is for. */
function videoPostsFor(discord: DiscordStandIn, channelId: string): Array<string | undefined> {
	return discord
		.channelMessages(channelId)
		.filter((message) => message.author.id === discord.botUserId && message.attachments.length > 0)
		.map((message) => /^<@(\d+)>/.exec(message.content)?.[1])
		.sort();
}

interface Racer {
	through: BotProcess;
	handle: InteractionHandle;
	guildId: string;
	userId: string;
}

function race(commands: Array<{ through: BotProcess; guildId: string; member: number }>): Racer[] {
	return commands.map(({ through, guildId, member }) => {
		const user = someMember(member);
		const handle = runVideo(through, 'text', FIVE_CREDITS, { user, guildId });
		return { through, handle, guildId, userId: user.id };
	});
}

async function settled(racers: Racer[]): Promise<{ accepted: Racer[]; refusals: string[] }> {
	for (const { through, handle } of racers) {
		await through.discord.waitFor(() => privateAnswerNow(handle) ?? progressReplyNow(handle), 20_000);
	}
	return {
		accepted: racers.filter(({ handle }) => progressReplyNow(handle)),
		refusals: racers.flatMap(({ handle }) => privateAnswerNow(handle) ?? []),
	};
}

it('commands racing through two processes on one database never spend past the server, member and operator caps', async () => {
	// Each process gets a stand-in Discord of its own, both with the shared server: the database and the provider are
	// what the processes share.
	const { modelverse, bots } = await twoProcesses(
		'caps',
		await Promise.all(
			[FIRST_ONLY, SECOND_ONLY].map(async (own) => ({
				discord: await startDiscordStandIn({ guilds: [SHARED, own] }),
				env: ENV,
			})),
		),
	);
	const [first, second] = bots;
	const saved = await privateAnswer(first, runQuota(first, 'set', { credits: 25, period: 'day', per_user: 10 }));
	expect(saved).not.toContain('Nothing was saved');

	// The shared server: its cap fits 5 jobs, each member's limit 2; member 0 tries 6 times, five others twice.
	const sharedRace = race(
		Array.from({ length: 16 }, (_, index) => ({
			through: index % 2 === 0 ? first : second,
			guildId: SHARED.id,
			member: index < 6 ? 0 : 1 + ((index - 6) % 5),
		})),
	);
	const shared = await settled(sharedRace);
	expect(shared.accepted).toHaveLength(5);
	for (const refusal of shared.refusals) expect(refusal).toMatch(/Nothing was submitted\.$/);
	for (const { userId } of shared.accepted) {
		expect(shared.accepted.filter((racer) => racer.userId === userId).length).toBeLessThanOrEqual(2);
	}

	// Each process's own server: 20 credits are left of the operator's 45, so 4 more jobs in all.
	const ownRace = race(
		Array.from({ length: 20 }, (_, index) => ({
			through: index % 2 === 0 ? first : second,
			guildId: index % 2 === 0 ? FIRST_ONLY.id : SECOND_ONLY.id,
			member: 10 + index,
		})),
	);
	const own = await settled(ownRace);
	expect(own.accepted).toHaveLength(4);
	for (const refusal of own.refusals) {
		expect(refusal).toMatch(
			/the bot has reached its operator’s monthly limit for all servers together.*Nothing was submitted\.$/,
		);
	}

	await first.discord.waitFor(() => modelverse.submissions.length >= 9);
	expect(modelverse.submissions).toHaveLength(9);
	for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');
	const accepted = [...shared.accepted, ...own.accepted];
	for (const { through, handle } of accepted) expect(await jobEnded(through, handle, 20_000)).toContain('Your video:');

	// Every accepted job posted exactly once, in its own server's channel, by the process that took it.
	for (const { discord } of bots) {
		for (const guild of [SHARED, FIRST_ONLY, SECOND_ONLY]) {
			const expected = accepted.filter((racer) => racer.through.discord === discord && racer.guildId === guild.id);
			expect(videoPostsFor(discord, guild.channels[0]?.id ?? '')).toEqual(expected.map((racer) => racer.userId).sort());
		}
	}

	// Both processes read the same books: the shared server spent its 25, each member at most 10.
	for (const through of bots)
		expect(await usageOf(through, someMember(0), SHARED.id)).toMatch(/25 of 25 used this month/);
	for (const { userId } of shared.accepted) {
		expect(await usageOf(second, { id: userId }, SHARED.id)).toMatch(/^You\n(5|10) /m);
	}
	expect(await privateAnswer(second, runQuota(second, 'show'))).toContain('25');
	for (const { bot } of bots) {
		const problems = await Promise.all(bot.healthChecks.liveness.map((check) => check.run()));
		expect(problems).toEqual(problems.map(() => undefined));
	}
});

it('a bot of two shards, one process each on one Discord: servers on both shards share the operator’s monthly cap', async () => {
	// Discord routes a server to shard `(guild_id >> 22) % 2`.
	const onShard = [
		{ id: '1575342975129485315', channels: [{ id: '1575342975129485316' }] },
		{ id: '1575342975125291011', channels: [{ id: '1575342975125291012' }] },
	];
	const discord = await startDiscordStandIn({ guilds: onShard });
	// Each process runs some of the shards: they share the open jobs through Redis, as they must.
	const shared = { ...ENV, SHARD_COUNT: '2', REDIS_URL: redis.url };
	const { modelverse, bots } = await twoProcesses('shards', [
		{ discord, env: { ...shared, SHARD_IDS: '0' } },
		{ discord, env: { ...shared, SHARD_IDS: '1' } },
	]);
	for (const [index, { bot }] of bots.entries())
		expect([...bot.client.guilds.cache.keys()]).toEqual([onShard[index]?.id]);

	const racers = race(
		Array.from({ length: 20 }, (_, index) => ({
			through: bots[index % 2] as BotProcess,
			guildId: onShard[index % 2]?.id ?? '',
			member: index,
		})),
	);
	const { accepted, refusals } = await settled(racers);
	expect(accepted).toHaveLength(9);
	// The servers' own caps (5 jobs each) leave the operator's cap (9 jobs) the one that binds.
	for (const refusal of refusals) expect(refusal).toMatch(/Nothing was submitted\.$/);
	expect(refusals.some((refusal) => refusal.includes('monthly limit for all servers together'))).toBe(true);
	await discord.waitFor(() => modelverse.submissions.length >= 9);
	expect(modelverse.submissions).toHaveLength(9);
	for (const { taskId } of modelverse.submissions) modelverse.complete(taskId, 'Success');
	for (const { handle } of accepted) expect(await jobEnded({ discord }, handle, 20_000)).toContain('Your video:');
	for (const guild of onShard) {
		expect(videoPostsFor(discord, guild.channels[0]?.id ?? '')).toEqual(
			accepted
				.filter((racer) => racer.guildId === guild.id)
				.map((racer) => racer.userId)
				.sort(),
		);
	}
});
