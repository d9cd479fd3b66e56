import { discordErrors, throwError } from '../discord-errors.js';
import { guildObject } from '../guild-payloads.js';
import { ok, type RouteDefinition, type StandInState } from '../stand-in-state.js';
import type { GuildRecord } from '../world.js';

export function guildRoutes(state: StandInState): RouteDefinition[] {
	const guildOf = (guildId: string | undefined): GuildRecord =>
		state.world.guild(guildId ?? '') ?? throwError(discordErrors.unknownGuild());
	return [
		{
			method: 'GET',
			template: '/guilds/{guild_id}',
			needsBotToken: true,
			handle: (_request, { guild_id }) => ok(guildObject(guildOf(guild_id))),
		},
		{
			method: 'GET',
			template: '/guilds/{guild_id}/channels',
			needsBotToken: true,
			handle: (_request, { guild_id }) => ok(state.world.guildChannels(guildOf(guild_id))),
		},
		{
			method: 'GET',
			template: '/guilds/{guild_id}/members/{user_id}',
			needsBotToken: true,
			handle: (_request, { guild_id, user_id = '' }) =>
				ok(guildOf(guild_id).members.get(user_id) ?? throwError(discordErrors.unknownMember())),
		},
	];
}
