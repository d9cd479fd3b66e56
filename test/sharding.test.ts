import { once } from 'node:events';
import { type APIMessage, Events } from 'discord.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import {
	type DiscordStandIn,
	type DiscordStandInOptions,
	shardOfGuild,
	startDiscordStandIn,
} from '../standins/discord/index.js';
import { MODELVERSE_TEST_KEY } from '../standins/harness.js';
import { MEMBER, runVideo, visibleText } from '../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';
import { type BotAgainstStandIns, startBotAgainst } from './support/bot-against-stand-ins.js';

/** Two servers on each of two shards: Discord routes a server to shard `(guild_id >> 22) % 2`. */
const SHARD_0_GUILDS = ['1575342975129485315', '1575342975137873923'];
const SHARD_1_GUILDS = ['1575342975125291011', '1575342975133679619'];
const channelOf = (guildId: string) => (BigInt(guildId) + 1n).toString();
const guilds = [...SHARD_0_GUILDS, ...SHARD_1_GUILDS].map((id) => ({ id, channels: [{ id: channelOf(id) }] }));

interface World {
	discord: DiscordStandIn;
	modelverse: ModelverseStandIn;
	/** Starts one more bot process against the same Discord and Modelverse. */
	startBot(env: Record<string, string>): Promise<BotAgainstStandIns>;
}

/** One Discord and one Modelverse for the whole test; every bot started is stopped, then the stand-ins checked. */
async function sharedWorld(options: DiscordStandInOptions = {}): Promise<World> {
	const discord = await startDiscordStandIn({ guilds, ...options });
	const modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY });
	const bots: BotAgainstStandIns[] = [];
	onTestFinished(async () => {
		try {
			await Promise.all(bots.map((bot) => bot.close()));
			expect(discord.validationFailures).toEqual([]);
			expect(discord.unhandledRoutes).toEqual([]);
		} finally {
			await Promise.all([discord.close(), modelverse.close()]);
		}
	});
	return {
		discord,
		modelverse,
		async startBot(env) {
			const bot = await startBotAgainst(discord, modelverse, env);
			bots.push(bot);
			return bot;
		},
	};
}

/** Two processes of one bot of two shards; shard 0's starts first, as it registers the commands the other serves. */
async function oneShardEach() {
	const world = await sharedWorld();
	const first = await world.startBot({ SHARD_COUNT: '2', SHARD_IDS: '0' });
	const second = await world.startBot({ SHARD_COUNT: '2', SHARD_IDS: '1' });
	return { world, first, second };
}

const commandRequests = (discord: DiscordStandIn) =>
	discord.requests.filter((request) => request.path.includes('/commands')).map((r) => `${r.method} ${r.path}`);

const guildsOf = (process: BotAgainstStandIns) => [...process.bot.client.guilds.cache.keys()].sort();

const videosIn = (discord: DiscordStandIn, channelId: string): APIMessage[] =>
	discord
		.channelMessages(channelId)
		.filter((message) => message.author.id === discord.botUserId && message.attachments.length > 0);

/** The guild of every interaction the process's Discord client received (null for a DM). */
function interactionsSeenBy(process: BotAgainstStandIns): Array<string | null> {
	const seen: Array<string | null> = [];
	process.bot.client.on(Events.InteractionCreate, (interaction) => seen.push(interaction.guildId));
	return seen;
}

/** A raw gateway client: the close code Discord gives an IDENTIFY, or READY's `shard` when it accepts it. */
async function identify(discord: DiscordStandIn, shard?: unknown): Promise<{ closed: number } | { ready: unknown }> {
	const socket = new WebSocket(`${discord.gatewayUrl}/?v=10&encoding=json`);
	await once(socket, 'message');
	const closed = once(socket, 'close').then(([code]) => ({ closed: Number(code) }));
	const ready = new Promise<{ ready: unknown }>((resolve) =>
		socket.on('message', (raw) => {
			const frame = JSON.parse(String(raw)) as { t?: string; d?: { shard?: unknown } };
			if (frame.t === 'READY') resolve({ ready: frame.d?.shard });
		}),
	);
	socket.send(
		JSON.stringify({
			op: 2,
			d: { token: discord.botToken, intents: 1, properties: {}, ...(shard === undefined ? {} : { shard }) },
		}),
	);
	const outcome = await Promise.race([closed, ready]);
	socket.terminate();
	return outcome;
}

describe('two processes, one shard each, against one Discord', () => {
	it('each connects its own shard and holds only its servers; the commands are registered once, by shard 0', async () => {
		expect(SHARD_0_GUILDS.map((id) => shardOfGuild(id, 2))).toEqual([0, 0]);
		expect(SHARD_1_GUILDS.map((id) => shardOfGuild(id, 2))).toEqual([1, 1]);
		const { world, first, second } = await oneShardEach();

		expect(world.discord.gatewayShards()).toEqual([
			[0, 2],
			[1, 2],
		]);
		expect(guildsOf(first)).toEqual([...SHARD_0_GUILDS].sort());
		expect(guildsOf(second)).toEqual([...SHARD_1_GUILDS].sort());
		const commands = `/applications/${world.discord.applicationId}/commands`;
		expect(commandRequests(world.discord)).toEqual([`GET ${commands}`, `PUT ${commands}`]);
		expect(second.logs.entries()).toContainEqual(
			expect.objectContaining({ msg: 'commands are registered by the process holding shard 0, not this one' }),
		);
		for (const entry of second.logs.entries()) expect(entry).toMatchObject({ shards: [1], shardCount: 2 });
		for (const entry of first.logs.entries()) expect(entry).toMatchObject({ shards: [0], shardCount: 2 });
	});

	it('/video text in a server of each shard is answered by that shard’s process alone, its video posted once', async () => {
		const { world, first, second } = await oneShardEach();
		const seenByFirst = interactionsSeenBy(first);
		const seenBySecond = interactionsSeenBy(second);
		const [onShard0, onShard1] = [SHARD_0_GUILDS[1] ?? '', SHARD_1_GUILDS[0] ?? ''];

		const handles = [
			runVideo(world, 'text', { prompt: 'a fox on shard zero' }, { guildId: onShard0 }),
			runVideo(world, 'text', { prompt: 'a heron on shard one' }, { guildId: onShard1 }),
		];
		const posted = await Promise.all(
			[onShard0, onShard1].map((guildId) =>
				world.discord.waitFor(() => videosIn(world.discord, channelOf(guildId))[0]),
			),
		);
		await Promise.all(
			handles.map((handle, index) =>
				world.discord.waitFor(() => visibleText(handle.original()).includes(posted[index]?.id ?? '-'), 10_000),
			),
		);

		expect(seenByFirst).toEqual([onShard0]);
		expect(seenBySecond).toEqual([onShard1]);
		expect(videosIn(world.discord, channelOf(onShard0))).toHaveLength(1);
		expect(videosIn(world.discord, channelOf(onShard1))).toHaveLength(1);
		expect(posted.map((message) => message?.content.startsWith(`<@${MEMBER.id}>`))).toEqual([true, true]);
		expect(world.modelverse.submissions.map((submission) => submission.body.input.prompt).sort()).toEqual([
			'a fox on shard zero',
			'a heron on shard one',
		]);
		const submittedBy = (process: BotAgainstStandIns) =>
			process.logs
				.entries()
				.filter((entry) => entry.msg === 'task submitted')
				.map((entry) => entry.guildId);
		expect(submittedBy(first)).toEqual([onShard0]);
		expect(submittedBy(second)).toEqual([onShard1]);
	});

	it('a command in a DM reaches the process holding shard 0, as at Discord', async () => {
		const { world, first, second } = await oneShardEach();
		const seenByFirst = interactionsSeenBy(first);
		const seenBySecond = interactionsSeenBy(second);

		const handle = world.discord.runCommand({ name: 'video', subcommand: 'jobs', inDm: true });
		await world.discord.waitFor(() => handle.callbacks().length > 0);

		expect(seenByFirst).toEqual([null]);
		expect(seenBySecond).toEqual([]);
	});

	it('a process given only shard 1 never reads or registers the commands', async () => {
		const world = await sharedWorld();
		const second = await world.startBot({ SHARD_COUNT: '2', SHARD_IDS: '1' });

		expect(guildsOf(second)).toEqual([...SHARD_1_GUILDS].sort());
		expect(commandRequests(world.discord)).toEqual([]);
		expect(world.discord.registeredCommands()).toEqual([]);
	});
});

describe('one process holding every shard', () => {
	it('SHARD_COUNT=auto runs as many shards as GET /gateway/bot recommends, and registers the commands once', async () => {
		const world = await sharedWorld({ shards: 2 });
		const only = await world.startBot({ SHARD_COUNT: 'auto' });

		expect(world.discord.gatewayShards()).toEqual([
			[0, 2],
			[1, 2],
		]);
		expect(guildsOf(only)).toEqual(guilds.map((guild) => guild.id).sort());
		expect(commandRequests(world.discord).filter((request) => request.startsWith('PUT'))).toHaveLength(1);
		expect(only.logs.entries().find((entry) => entry.msg === 'bot ready')).toMatchObject({
			shards: 'auto',
			heldShards: [0, 1],
			guilds: 4,
		});
	});
});

describe('the stand-in gateway shards as Discord does', () => {
	it('GET /gateway/bot reports the shard count Discord recommends', async () => {
		const discord = await startDiscordStandIn({ shards: 3 });
		onTestFinished(() => discord.close());

		const response = await fetch(`${discord.apiUrl}/v10/gateway/bot`, {
			headers: { authorization: `Bot ${discord.botToken}` },
		});

		expect(await response.json()).toMatchObject({ url: discord.gatewayUrl, shards: 3 });
	});

	it('closes an IDENTIFY with a bad shard pair 4010, and one with too few shards 4011 when sharding is required', async () => {
		const discord = await startDiscordStandIn({ guilds, requiredShards: 2 });
		onTestFinished(() => discord.close());

		for (const bad of [[2, 2], [-1, 2], [0, 0], [0], '0,2', [0.5, 2]]) {
			expect(await identify(discord, bad)).toEqual({ closed: 4010 });
		}
		expect(await identify(discord)).toEqual({ closed: 4011 });
		expect(await identify(discord, [0, 1])).toEqual({ closed: 4011 });
		expect(await identify(discord, [1, 2])).toEqual({ ready: [1, 2] });
	});
});
