import { once } from 'node:events';
import {
	type APIEmbed,
	type ChatInputCommandInteraction,
	Client,
	DiscordAPIError,
	Events,
	GatewayIntentBits,
	Routes,
} from 'discord.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDiscordStandIn } from '../standins/discord/index.js';

async function connectedStandIn() {
	const standIn = await startDiscordStandIn();
	const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
	const ready = once(client, Events.ClientReady);
	await client.login(standIn.botToken);
	await ready;
	onTestFinished(async () => {
		await client.destroy();
		await standIn.close();
	});
	return { standIn, client };
}

/** The routes the bot writes messages through, each sending `body` as the bot does. */
async function messageRoutes() {
	const { standIn, client } = await connectedStandIn();
	const received = once(client, Events.InteractionCreate) as Promise<[ChatInputCommandInteraction]>;
	const handle = standIn.runCommand({ name: 'video' });
	const [interaction] = await received;
	await interaction.deferReply();
	const posted = (await client.rest.post(Routes.channelMessages(standIn.channelId), { body: { content: 'x' } })) as {
		id: string;
	};
	const send = {
		'edit of the interaction reply': (body: object) =>
			client.rest.patch(Routes.webhookMessage(standIn.applicationId, handle.token, '@original'), { body, auth: false }),
		followup: (body: object) =>
			client.rest.post(Routes.webhook(standIn.applicationId, handle.token), { body, auth: false }),
		'channel message': (body: object) => client.rest.post(Routes.channelMessages(standIn.channelId), { body }),
		'edit of a channel message': (body: object) =>
			client.rest.patch(Routes.channelMessage(standIn.channelId, posted.id), { body }),
	};
	return { standIn, send };
}

async function refusal(sending: Promise<unknown>): Promise<{ code: unknown; paths: string[] }> {
	const error = await sending.then(
		() => undefined,
		(rejection: unknown) => rejection,
	);
	expect(error).toBeInstanceOf(DiscordAPIError);
	const raw = (error as DiscordAPIError).rawError as { errors?: Record<string, unknown> };
	return { code: (error as DiscordAPIError).code, paths: Object.keys(raw.errors ?? {}) };
}

const x = (count: number) => 'x'.repeat(count);
const embed = (fields: APIEmbed) => ({ embeds: [fields] });

/** Each of Discord's documented limits, at the limit (accepted) and one past it (refused, naming the field). */
const LIMITS: Array<{ what: string; body: (length: number) => object; limit: number }> = [
	{ what: 'content', body: (length) => ({ content: x(length) }), limit: 2000 },
	{ what: 'an embed title', body: (length) => embed({ title: x(length) }), limit: 256 },
	{ what: 'an embed description', body: (length) => embed({ description: x(length) }), limit: 4096 },
	{ what: 'a field name', body: (length) => embed({ fields: [{ name: x(length), value: 'v' }] }), limit: 256 },
	{ what: 'a field value', body: (length) => embed({ fields: [{ name: 'n', value: x(length) }] }), limit: 1024 },
	{ what: 'a footer', body: (length) => embed({ footer: { text: x(length) } }), limit: 2048 },
	{
		what: 'all embeds together',
		body: (length) => ({ embeds: [{ description: x(4000) }, { description: x(length - 4000) }] }),
		limit: 6000,
	},
];

describe('the stand-in Discord refuses messages past Discord’s limits, as Discord does', () => {
	it.each(LIMITS)(
		'$what: $limit characters go through every route the bot writes by; one more is refused with 50035',
		async ({ body, limit }) => {
			const { standIn, send } = await messageRoutes();

			for (const [route, sending] of Object.entries(send)) {
				await expect(sending(body(limit)), route).resolves.toBeDefined();
				const refused = await refusal(sending(body(limit + 1)));
				expect(refused.code, route).toBe(50035);
				expect(refused.paths.length, route).toBeGreaterThan(0);
			}
			expect(standIn.validationFailures).toHaveLength(Object.keys(send).length);
		},
	);

	it('counts characters, not UTF-16 units: 4096 emoji make a full description', async () => {
		const { send } = await messageRoutes();

		await expect(
			send['edit of the interaction reply'](embed({ description: '🎬'.repeat(4096) })),
		).resolves.toBeDefined();
		expect((await refusal(send['edit of the interaction reply'](embed({ description: '🎬'.repeat(4097) })))).code).toBe(
			50035,
		);
	});
});
