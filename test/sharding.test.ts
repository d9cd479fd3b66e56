import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { type DiscordStandIn, startDiscordStandIn } from '../standins/discord/index.js';
import { commandRequests, guilds, guildsOf, sharedWorld } from './support/sharded-world.js';
import { describeTwoProcessesOneShardEach } from './support/two-shard-processes.js';

// Each process on a SQLite store of its own, as the default store runs a sharded bot.
describeTwoProcessesOneShardEach(
	'two processes, one shard each, against one Discord',
	() => sharedWorld(),
	'own shard',
);

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
