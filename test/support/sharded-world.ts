import { expect, onTestFinished } from 'vitest';
import { type DiscordStandIn, type DiscordStandInOptions, startDiscordStandIn } from '../../standins/discord/index.js';
import { MODELVERSE_TEST_KEY } from '../../standins/harness.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../../standins/modelverse/modelverse-standin.js';
import { type BotAgainstStandIns, startBotAgainst } from './bot-against-stand-ins.js';

/** Two servers on each of two shards: Discord routes a server to shard `(guild_id >> 22) % 2`. */
export const SHARD_0_GUILDS = ['1575342975129485315', '1575342975137873923'];
export const SHARD_1_GUILDS = ['1575342975125291011', '1575342975133679619'];
export const channelOf = (guildId: string) => (BigInt(guildId) + 1n).toString();
export const guilds = [...SHARD_0_GUILDS, ...SHARD_1_GUILDS].map((id) => ({ id, channels: [{ id: channelOf(id) }] }));

export interface World {
	discord: DiscordStandIn;
	modelverse: ModelverseStandIn;
	/** Starts one more bot process against the same Discord and Modelverse. */
	startBot(env: Record<string, string>): Promise<BotAgainstStandIns>;
}

/**
 * One Discord and one Modelverse for the whole test; every bot started is stopped, then the stand-ins checked. `store`
 * is the settings every bot gets for its store (and the open jobs shared through Redis, for processes of some shards).
 */
export async function sharedWorld(
	options: DiscordStandInOptions = {},
	store: Record<string, string> = {},
): Promise<World> {
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
			const bot = await startBotAgainst(discord, modelverse, { ...store, ...env });
			bots.push(bot);
			return bot;
		},
	};
}

export const commandRequests = (discord: DiscordStandIn) =>
	discord.requests.filter((request) => request.path.includes('/commands')).map((r) => `${r.method} ${r.path}`);

export const guildsOf = (process: BotAgainstStandIns) => [...process.bot.client.guilds.cache.keys()].sort();
