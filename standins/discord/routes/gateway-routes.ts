import { ok, type RouteDefinition, type StandInState } from '../stand-in-state.js';

export function gatewayRoutes(state: StandInState): RouteDefinition[] {
	return [
		{ method: 'GET', template: '/gateway', needsBotToken: false, handle: () => ok({ url: state.gatewayUrl }) },
		{
			method: 'GET',
			template: '/gateway/bot',
			needsBotToken: true,
			handle: () =>
				ok({
					url: state.gatewayUrl,
					shards: state.recommendedShards,
					session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
				}),
		},
	];
}
