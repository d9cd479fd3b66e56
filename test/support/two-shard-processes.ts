import { type APIMessage, Events } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { type DiscordStandIn, shardOfGuild } from '../../standins/discord/index.js';
import { MEMBER, runVideo, visibleText } from '../../standins/journeys.js';
import type { BotAgainstStandIns } from './bot-against-stand-ins.js';
import { channelOf, commandRequests, guildsOf, SHARD_0_GUILDS, SHARD_1_GUILDS, type World } from './sharded-world.js';

/** Two processes of one bot of two shards; shard 0's starts first, as it registers the commands the other serves. */
async function oneShardEach(newWorld: () => Promise<World>) {
	const world = await newWorld();
	const first = await world.startBot({ SHARD_COUNT: '2', SHARD_IDS: '0' });
	const second = await world.startBot({ SHARD_COUNT: '2', SHARD_IDS: '1' });
	return { world, first, second };
}

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

export function describeTwoProcessesOneShardEach(
	title: string,
	newWorld: () => Promise<World>,
	/** Which process sends a job: the one whose shard received the command, or either (a shared queue). */
	sentBy: 'own shard' | 'either',
): void {
	describe(title, () => {
		it('each connects its own shard and holds only its servers; the commands are registered once, by shard 0', async () => {
			expect(SHARD_0_GUILDS.map((id) => shardOfGuild(id, 2))).toEqual([0, 0]);
			expect(SHARD_1_GUILDS.map((id) => shardOfGuild(id, 2))).toEqual([1, 1]);
			const { world, first, second } = await oneShardEach(newWorld);

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
			const { world, first, second } = await oneShardEach(newWorld);
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
			if (sentBy === 'own shard') {
				expect(submittedBy(first)).toEqual([onShard0]);
				expect(submittedBy(second)).toEqual([onShard1]);
			}
			// Through a shared queue, whichever process's worker takes a job sends it: each once, by one of them.
			expect([...submittedBy(first), ...submittedBy(second)].sort()).toEqual([onShard0, onShard1].sort());
		});

		it('a command in a DM reaches the process holding shard 0, as at Discord', async () => {
			const { world, first, second } = await oneShardEach(newWorld);
			const seenByFirst = interactionsSeenBy(first);
			const seenBySecond = interactionsSeenBy(second);

			const handle = world.discord.runCommand({ name: 'video', subcommand: 'jobs', inDm: true });
			await world.discord.waitFor(() => handle.callbacks().length > 0);

			expect(seenByFirst).toEqual([null]);
			expect(seenBySecond).toEqual([]);
		});

		it('a process given only shard 1 never reads or registers the commands', async () => {
			const world = await newWorld();
			const second = await world.startBot({ SHARD_COUNT: '2', SHARD_IDS: '1' });

			expect(guildsOf(second)).toEqual([...SHARD_1_GUILDS].sort());
			expect(commandRequests(world.discord)).toEqual([]);
			expect(world.discord.registeredCommands()).toEqual([]);
		});
	});
}
