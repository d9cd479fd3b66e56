import type { CommandRegistration } from '../command-store.js';
import { discordErrors } from '../discord-errors.js';
import type { PathParams } from '../route-template.js';
import { ok, type RouteDefinition, type StandInState } from '../stand-in-state.js';

export function applicationRoutes(state: StandInState): RouteDefinition[] {
	const checkScope = ({ application_id, guild_id }: PathParams): string | undefined => {
		if (application_id !== state.applicationId) throw discordErrors.unknownApplication();
		if (guild_id !== undefined && !state.world.guild(guild_id)) throw discordErrors.unknownGuild();
		return guild_id;
	};
	const commandRoutes = (template: string): RouteDefinition[] => [
		{
			method: 'GET',
			template,
			needsBotToken: true,
			handle: (_request, params) => ok(state.commands.list(checkScope(params))),
		},
		{
			method: 'PUT',
			template,
			needsBotToken: true,
			handle: (request, params) =>
				ok(state.commands.overwrite((request.body as CommandRegistration[] | null) ?? [], checkScope(params))),
		},
		{
			method: 'POST',
			template,
			needsBotToken: true,
			handle: (request, params) => {
				const { command, created } = state.commands.upsert(request.body as CommandRegistration, checkScope(params));
				return ok(command, created ? 201 : 200);
			},
		},
	];
	return [
		{
			method: 'GET',
			template: '/applications/@me',
			needsBotToken: true,
			handle: () =>
				ok({
					id: state.applicationId,
					name: state.botUser.username,
					icon: null,
					description: '',
					summary: '',
					type: null,
					bot: state.botUser,
					bot_public: true,
					bot_require_code_grant: false,
					verify_key: '0'.repeat(64),
					flags: 0,
					team: null,
					install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
				}),
		},
		...commandRoutes('/applications/{application_id}/commands'),
		...commandRoutes('/applications/{application_id}/guilds/{guild_id}/commands'),
		{
			method: 'GET',
			template: '/applications/{application_id}/guilds/{guild_id}/commands/permissions',
			needsBotToken: true,
			handle: (_request, params) => ok(state.commands.permissions(checkScope(params) ?? '')),
		},
	];
}
