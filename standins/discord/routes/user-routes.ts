import { discordErrors, throwError } from '../discord-errors.js';
import { guildObject } from '../guild-payloads.js';
import { ok, type RouteDefinition, type StandInState } from '../stand-in-state.js';
import type { GuildRecord } from '../world.js';

function partialGuild(state: StandInState, guild: GuildRecord) {
	const { id, name, icon, banner, features } = guildObject(guild);
	const botRoles = new Set([guild.id, ...(guild.members.get(state.botUser.id)?.roles ?? [])]);
	const permissions = guild.roles
		.filter((role) => botRoles.has(role.id))
		.reduce((all, role) => all | BigInt(role.permissions), 0n);
	return {
		id,
		name,
		icon,
		banner,
		features,
		owner: guild.ownerId === state.botUser.id,
		permissions: String(permissions),
	};
}

export function userRoutes(state: StandInState): RouteDefinition[] {
	return [
		{ method: 'GET', template: '/users/@me', needsBotToken: true, handle: () => ok(state.botUser) },
		{
			method: 'GET',
			template: '/users/@me/guilds',
			needsBotToken: true,
			handle: () => ok(state.world.guildList().map((guild) => partialGuild(state, guild))),
		},
		{
			method: 'GET',
			template: '/users/{user_id}',
			needsBotToken: true,
			handle: (_request, { user_id = '' }) => ok(state.world.user(user_id) ?? throwError(discordErrors.unknownUser())),
		},
		{
			method: 'POST',
			template: '/users/@me/channels',
			needsBotToken: true,
			handle: (request) => {
				const { recipient_id } = request.body as { recipient_id?: string | null };
				if (!recipient_id) throw discordErrors.unknownUser();
				return ok(state.world.dmChannelFor(state.world.rememberUser({ id: recipient_id })));
			},
		},
	];
}
