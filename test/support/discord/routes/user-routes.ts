import { discordErrors, throwError } from '../discord-errors.js';
import { ok, type RouteDefinition, type StandInState } from '../stand-in-state.js';

export function userRoutes(state: StandInState): RouteDefinition[] {
	return [
		{ method: 'GET', template: '/users/@me', needsBotToken: true, handle: () => ok(state.botUser) },
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
