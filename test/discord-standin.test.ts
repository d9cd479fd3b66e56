import { once } from 'node:events';
import {
	ActionRowBuilder,
	AttachmentBuilder,
	ButtonBuilder,
	ButtonStyle,
	type ChatInputCommandInteraction,
	Client,
	DiscordAPIError,
	EmbedBuilder,
	Events,
	GatewayIntentBits,
	type Interaction,
	LabelBuilder,
	MessageFlags,
	ModalBuilder,
	PermissionFlagsBits,
	type RateLimitData,
	RESTEvents,
	Routes,
	SlashCommandBuilder,
	type TextChannel,
	TextInputBuilder,
	TextInputStyle,
} from 'discord.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { type DiscordStandInOptions, startDiscordStandIn } from '../standins/discord/index.js';

async function connectedStandIn(options: DiscordStandInOptions = {}) {
	const standIn = await startDiscordStandIn(options);
	const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
	const ready = once(client, Events.ClientReady);
	await client.login(standIn.botToken);
	await ready;
	onTestFinished(async () => {
		await client.destroy();
		await standIn.close();
	});
	const channel = client.channels.cache.get(standIn.channelId) as TextChannel;
	return { standIn, client, channel };
}

async function nextInteraction<T extends Interaction = ChatInputCommandInteraction>(client: Client): Promise<T> {
	const [interaction] = await once(client, Events.InteractionCreate);
	return interaction as T;
}

/** Runs `/video` `count` times in the channel, one after another, each deferred publicly by the client. */
async function deferredCommands(
	standIn: Awaited<ReturnType<typeof connectedStandIn>>['standIn'],
	client: Client,
	channelId: string,
	count: number,
): Promise<ChatInputCommandInteraction[]> {
	const interactions: ChatInputCommandInteraction[] = [];
	for (let run = 0; run < count; run++) {
		const received = nextInteraction(client);
		standIn.runCommand({ name: 'video', channelId });
		const interaction = await received;
		await interaction.deferReply();
		interactions.push(interaction);
	}
	return interactions;
}

async function discordErrorCode(promise: Promise<unknown>): Promise<number | string | undefined> {
	const error = await promise.then(
		() => undefined,
		(rejection: unknown) => rejection,
	);
	expect(error).toBeInstanceOf(DiscordAPIError);
	return (error as DiscordAPIError).code;
}

const videoCommand = new SlashCommandBuilder()
	.setName('video')
	.setDescription('Make a video')
	.setDescriptionLocalizations({ 'zh-CN': '生成视频' })
	.addSubcommand((subcommand) =>
		subcommand
			.setName('image')
			.setDescription('From an image')
			.addAttachmentOption((option) => option.setName('image').setDescription('Reference').setRequired(true))
			.addStringOption((option) => option.setName('prompt').setDescription('Prompt').setRequired(true))
			.addIntegerOption((option) => option.setName('duration').setDescription('Seconds').setMinValue(1).setMaxValue(15))
			.addBooleanOption((option) => option.setName('audio').setDescription('Audio')),
	);

const quotaCommand = new SlashCommandBuilder()
	.setName('quota')
	.setDescription('Server limits')
	.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
	.addSubcommand((subcommand) =>
		subcommand
			.setName('member')
			.setDescription('Limit one member')
			.addUserOption((option) => option.setName('user').setDescription('Member').setRequired(true)),
	);

describe('the Discord stand-in', () => {
	it('lets a real discord.js client log in and become ready with the default guild and channel', async () => {
		const { standIn, client, channel } = await connectedStandIn();

		expect(client.user?.id).toBe(standIn.botUserId);
		expect(client.application?.id).toBe(standIn.applicationId);
		expect(client.guilds.cache.get(standIn.guildId)?.roles.everyone.id).toBe(standIn.guildId);
		expect(channel.guildId).toBe(standIn.guildId);
		expect(standIn.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /gateway/bot']);
	});

	it('refuses a wrong bot token over REST (401) and on the gateway (close 4004)', async () => {
		const standIn = await startDiscordStandIn();
		onTestFinished(() => standIn.close());

		const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
		await expect(client.login('wrong-token')).rejects.toThrow();
		const socket = new WebSocket(`${standIn.gatewayUrl}/?v=10&encoding=json`);
		const [hello] = await once(socket, 'message');
		expect(JSON.parse(String(hello))).toMatchObject({ op: 10 });
		socket.send(JSON.stringify({ op: 2, d: { token: 'wrong-token', intents: 1, properties: {} } }));
		const [code] = await once(socket, 'close');

		expect(code).toBe(4004);
		expect(standIn.requests).toMatchObject([{ path: '/gateway/bot', status: 401 }]);
	});

	it('stores global and guild commands with stable ids, accepting permissions sent as a string', async () => {
		const { standIn, client } = await connectedStandIn();

		const global = await client.application?.commands.set([videoCommand.toJSON()]);
		await client.application?.commands.set([quotaCommand.toJSON()], standIn.guildId);
		const again = await client.application?.commands.set([videoCommand.toJSON()]);

		expect(standIn.registeredCommands().map((command) => command.name)).toEqual(['video']);
		expect(standIn.registeredCommands(standIn.guildId)).toMatchObject([
			{ name: 'quota', default_member_permissions: '32', guild_id: standIn.guildId },
		]);
		expect(again?.first()?.id).toBe(global?.first()?.id);
		expect(global?.first()?.descriptionLocalizations).toEqual({ 'zh-CN': '生成视频' });
		expect(standIn.validationFailures).toEqual([]);
	});

	it('records a command with an attachment, a deferred reply edited with an embed, and a channel post with a file', async () => {
		const { standIn, client, channel } = await connectedStandIn();
		await client.application?.commands.set([videoCommand.toJSON()]);
		const image = Buffer.from('not really a png');
		const member = { id: '300000000000000001', username: 'alice' };

		const received = nextInteraction(client);
		const handle = standIn.runCommand({
			name: 'video',
			subcommand: 'image',
			user: member,
			options: {
				image: { attachment: { filename: 'cat.png', bytes: image } },
				prompt: 'a cat',
				duration: 5,
				audio: true,
			},
		});
		const interaction = await received;

		const attachment = interaction.options.getAttachment('image', true);
		expect(interaction.options.getSubcommand()).toBe('image');
		expect(interaction.options.getInteger('duration')).toBe(5);
		expect(interaction.options.getBoolean('audio')).toBe(true);
		expect(interaction.commandId).toBe(standIn.registeredCommands()[0]?.id);
		expect(interaction.attachmentSizeLimit).toBe(10 * 1024 * 1024);
		expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
		expect(attachment).toMatchObject({ name: 'cat.png', contentType: 'image/png', size: image.length });
		expect(Buffer.from(await (await fetch(attachment.url)).arrayBuffer())).toEqual(image);

		await interaction.deferReply();
		expect(handle.original()?.flags).toBe(MessageFlags.Loading);
		await interaction.editReply({ embeds: [new EmbedBuilder().setTitle('Rendering')] });
		const video = new AttachmentBuilder(Buffer.from('mp4 bytes'), { name: 'result.mp4' });
		const posted = await channel.send({
			content: `<@${member.id}> your video, <@300000000000000002>`,
			files: [video],
			allowedMentions: { users: [member.id] },
		});

		expect(handle.callbacks()).toMatchObject([{ type: 5 }]);
		expect(handle.original()).toMatchObject({ embeds: [{ title: 'Rendering' }], flags: 0 });
		const stored = standIn.findMessage(posted.id);
		expect(stored?.attachments).toMatchObject([{ filename: 'result.mp4', content_type: 'video/mp4', size: 9 }]);
		expect(stored?.mentions.map((user) => user.id)).toEqual([member.id]);
		const upload = standIn.requests.find(
			(request) => request.method === 'POST' && request.route === '/channels/{channel_id}/messages',
		);
		expect(upload?.files.map((file) => file.filename)).toEqual(['result.mp4']);
		expect(upload?.body).toMatchObject({ allowed_mentions: { users: [member.id] } });
		expect(posted.attachments.first()?.url).toContain('/attachments/');
		expect(standIn.validationFailures).toEqual([]);
		expect(standIn.unhandledRoutes).toEqual([]);
	});

	it('resolves user options to users and members, and runs commands in DMs with the user instead of a member', async () => {
		const { standIn, client } = await connectedStandIn();
		await client.application?.commands.set([quotaCommand.toJSON()], standIn.guildId);
		const target = { id: '300000000000000004', username: 'carol' };

		const inGuild = nextInteraction(client);
		standIn.runCommand({
			name: 'quota',
			subcommand: 'member',
			options: { user: { user: target } },
			memberPermissions: PermissionFlagsBits.ManageGuild.toString(),
			locale: 'zh-CN',
		});
		const quota = await inGuild;
		expect(quota.options.getUser('user', true).username).toBe('carol');
		expect(quota.options.getMember('user')).toMatchObject({ id: target.id });
		expect(quota.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
		expect(quota.locale).toBe('zh-CN');
		expect(quota.context).toBe(0);

		const inDm = nextInteraction(client);
		standIn.runCommand({ name: 'video', inDm: true });
		const dm = await inDm;
		expect(dm.guildId).toBeNull();
		expect(dm.member).toBeNull();
		expect(dm.user.id).toBe(standIn.defaultUser.id);
		expect(dm.context).toBe(1);
		await dm.reply('hello in private');
		expect(standIn.channelMessages(dm.channelId)).toMatchObject([{ content: 'hello in private' }]);
	});

	it('announces a created role, sends the member’s roles with every interaction until they change, and resolves role options', async () => {
		const { standIn, client } = await connectedStandIn();
		const booster = standIn.createRole('booster');
		const patron = standIn.createRole('patron');
		const member = { id: '300000000000000005', username: 'dana' };

		const withRoles = nextInteraction(client);
		const handle = standIn.runCommand({
			name: 'quota',
			subcommand: 'role',
			options: { role: { role: patron } },
			user: member,
			roleIds: [booster, patron],
		});
		const quota = await withRoles;
		expect(handle.payload).toMatchObject({ member: { roles: [booster, patron] } });
		expect(handle.payload).toMatchObject({ data: { resolved: { roles: { [patron]: { name: 'patron' } } } } });
		expect(client.guilds.cache.get(standIn.guildId)?.roles.cache.get(booster)?.name).toBe('booster');
		expect(quota.options.getRole('role', true)).toMatchObject({ id: patron, name: 'patron' });
		const roleIdsOf = (interaction: Interaction) => {
			const roles = interaction.member?.roles;
			return Array.isArray(roles) ? roles : [...(roles?.cache.keys() ?? [])].sort();
		};
		// discord.js adds @everyone (the guild's id) to a cached member's roles; the payload never lists it.
		expect(roleIdsOf(quota)).toEqual([booster, patron, standIn.guildId].sort());

		const later = nextInteraction(client);
		standIn.runCommand({ name: 'video', user: member });
		expect(roleIdsOf(await later)).toEqual([booster, patron, standIn.guildId].sort());
		const removed = nextInteraction(client);
		standIn.runCommand({ name: 'video', user: member, roleIds: [] });
		expect(roleIdsOf(await removed)).toEqual([standIn.guildId]);

		expect(() => standIn.runCommand({ name: 'video', user: member, roleIds: ['300000000000000999'] })).toThrow(
			/no role 300000000000000999/,
		);
	});

	it('answers an invalid body with 50035 and records it; an unserved route with 404, recorded too', async () => {
		const { standIn, client } = await connectedStandIn();

		const tooLong = client.rest.post(Routes.channelMessages(standIn.channelId), {
			body: { content: 'x'.repeat(2001) },
		});
		expect(await discordErrorCode(tooLong)).toBe(50035);
		await expect(client.rest.get('/voice/regions')).rejects.toMatchObject({ status: 404 });

		expect(standIn.validationFailures).toMatchObject([
			{ method: 'POST', operation: 'POST /channels/{channel_id}/messages', errors: [{ path: '/content' }] },
		]);
		expect(standIn.unhandledRoutes).toEqual([{ method: 'GET', path: '/voice/regions' }]);
	});

	it('refuses edits through an expired token with 50027, and edits of a deleted message with 10008', async () => {
		const { standIn, client, channel } = await connectedStandIn();
		const received = nextInteraction(client);
		const handle = standIn.runCommand({ name: 'video' });
		const interaction = await received;
		await interaction.deferReply();
		const posted = await channel.send('progress');

		standIn.expireToken(handle.token);
		standIn.deleteMessage(channel.id, posted.id);

		expect(await discordErrorCode(interaction.editReply('late'))).toBe(50027);
		expect(await discordErrorCode(posted.edit('gone'))).toBe(10008);
	});

	it('makes discord.js wait out an injected 429 (its headers say how long) and retry successfully', async () => {
		const { standIn, channel } = await connectedStandIn();
		standIn.rateLimit({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, { times: 1, retryAfterSeconds: 0.2 });

		await channel.send('after the limit');

		const posts = standIn.requests.filter((request) => request.route === '/channels/{channel_id}/messages');
		expect(posts.map((request) => request.status)).toEqual([429, 200]);
		expect(standIn.rateLimited).toEqual([posts[0]]);
		expect(posts[0]?.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.2, global: false });
		expect(posts[0]?.responseHeaders).toMatchObject({
			'retry-after': '0.2',
			'x-ratelimit-remaining': '0',
			'x-ratelimit-reset-after': '0.200',
			'x-ratelimit-bucket': expect.stringMatching(/^[0-9a-f]{16}$/),
			'x-ratelimit-scope': 'user',
		});
		// The stand-in holds the limit for its Retry-After, answering 429 to anything sent before it runs out.
		expect(standIn.ignoredRateLimits).toEqual([]);
		expect(standIn.channelMessages(channel.id).map((message) => message.content)).toEqual(['after the limit']);
	});

	/**
	 * The stand-in's rate-limit clock moves only when discord.js says it is waiting out a limit, so a burst always falls
	 * within one window however slow the machine, and each wait always covers the window.
	 */
	function waitsMoveClock(client: Client, clock: { now: number }, windowMs: number): RateLimitData[] {
		const waits: RateLimitData[] = [];
		client.rest.on(RESTEvents.RateLimited, (wait) => {
			waits.push(wait);
			clock.now += windowMs;
		});
		return waits;
	}

	it('counts message creates and edits in one channel against the channel’s limit, with Discord’s headers on every answer', async () => {
		const clock = { now: 0 };
		const { standIn, client, channel } = await connectedStandIn({
			rateLimits: { channelMessages: { limit: 2, windowMs: 200 } },
			rateLimitClock: () => clock.now,
		});
		const waits = waitsMoveClock(client, clock, 200);
		const message = await channel.send('0');

		for (const content of ['1', '2', '3']) await message.edit(content);

		const writes = standIn.requests.filter((request) => request.route?.startsWith('/channels/{channel_id}/messages'));
		expect(
			writes.map((request) => [
				request.method,
				request.status,
				(request.body as { content?: string }).content,
				request.responseHeaders['x-ratelimit-remaining'],
			]),
		).toEqual([
			['POST', 200, '0', '1'],
			['PATCH', 200, '1', '0'],
			// discord.js learns the edit route's bucket from the first edit's answer and opens a new queue for it.
			['PATCH', 429, '2', '0'],
			['PATCH', 200, '2', '1'],
			['PATCH', 200, '3', '0'],
		]);
		const buckets = new Set(writes.map((request) => request.responseHeaders['x-ratelimit-bucket']));
		expect([...buckets]).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/)]);
		expect(writes[0]?.responseHeaders).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-reset-after': '0.200' });
		expect(writes[2]?.response).toMatchObject({ retry_after: 0.2, global: false });
		expect(writes[2]?.responseHeaders).toMatchObject({
			'retry-after': '0.2',
			'x-ratelimit-reset-after': '0.200',
			'x-ratelimit-scope': 'user',
		});
		expect(waits).toMatchObject([{ method: 'PATCH', route: '/channels/:id/messages/:id', global: false }]);
		expect(standIn.rateLimited).toEqual([writes[2]]);
		expect(standIn.ignoredRateLimits).toEqual([]);
		expect(standIn.findMessage(message.id)?.content).toBe('3');
	});

	it('replies of different interactions in one channel do not throttle each other; the channel’s own messages share its limit', async () => {
		const clock = { now: 0 };
		const { standIn, client, channel } = await connectedStandIn({
			rateLimits: { channelMessages: { limit: 2, windowMs: 200 }, webhook: { limit: 2, windowMs: 200 } },
			rateLimitClock: () => clock.now,
		});
		const waits = waitsMoveClock(client, clock, 200);
		const interactions = await deferredCommands(standIn, client, channel.id, 3);

		for (const interaction of interactions) {
			await interaction.editReply('rendering');
			await interaction.editReply('done');
		}
		const replyEdits = standIn.requests.filter((request) => request.method === 'PATCH');
		expect(replyEdits.map((request) => [request.status, request.responseHeaders['x-ratelimit-remaining']])).toEqual([
			[200, '1'],
			[200, '0'],
			[200, '1'],
			[200, '0'],
			[200, '1'],
			[200, '0'],
		]);
		expect(waits).toEqual([]);

		for (const content of ['a', 'b', 'c']) await channel.send(content);

		const posts = standIn.requests.filter((request) => request.route === '/channels/{channel_id}/messages');
		expect(posts.map((request) => [request.status, request.responseHeaders['x-ratelimit-remaining']])).toEqual([
			[200, '1'],
			[200, '0'],
			[200, '1'],
		]);
		expect(waits).toMatchObject([{ method: 'POST', route: '/channels/:id/messages', global: false }]);
		expect(standIn.rateLimited).toEqual([]);
	});

	it('refuses a second initial response (40060), and a modal after a defer', async () => {
		const { client, standIn } = await connectedStandIn();
		const first = nextInteraction(client);
		standIn.runCommand({ name: 'video' });
		const interaction = await first;
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });

		const again = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
			body: { type: 4, data: { content: 'again' } },
			auth: false,
		});
		const modal = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
			body: {
				type: 9,
				data: {
					custom_id: 'm',
					title: 'T',
					components: [{ type: 18, label: 'Prompt', component: { type: 4, custom_id: 'prompt', style: 1 } }],
				},
			},
			auth: false,
		});
		expect(await discordErrorCode(again)).toBe(40060);
		expect(await discordErrorCode(modal)).toBe(40060);
	});

	it('refuses a first response after the deadline (10062)', async () => {
		const { standIn, client } = await connectedStandIn({ interactionDeadlineMs: 100 });
		const received = nextInteraction(client);
		standIn.runCommand({ name: 'video' });
		const late = await received;
		// Only ever later than the deadline, however slow the machine: this waits, it does not measure.
		await new Promise((resolve) => setTimeout(resolve, 150));
		expect(await discordErrorCode(late.deferReply())).toBe(10062);
	});

	it('returns the created message when discord.js asks with_response=true, and keeps followups apart', async () => {
		const { standIn, client } = await connectedStandIn();
		const received = nextInteraction(client);
		const handle = standIn.runCommand({ name: 'video' });
		const interaction = await received;

		const response = await interaction.deferReply({ withResponse: true });
		expect(standIn.requests.at(-1)?.query).toEqual({ with_response: 'true' });
		await interaction.followUp({ content: 'only you can see this', flags: MessageFlags.Ephemeral });

		expect(response.resource?.message?.id).toBe(handle.original()?.id);
		expect(response.interaction.responseMessageLoading).toBe(true);
		expect(handle.followups()).toMatchObject([{ content: 'only you can see this', flags: MessageFlags.Ephemeral }]);
		expect(standIn.requests.at(-1)?.path).toMatch(/^\/webhooks\/\d+\/[\w-]+$/);
	});

	it('takes follow-ups with files through each interaction’s own bucket, lists them in the channel’s history, and refuses them once the token dies (50027)', async () => {
		const { standIn, client, channel } = await connectedStandIn({ interactionTokenTtlMs: 60_000 });
		const interactions = await deferredCommands(standIn, client, channel.id, 2);
		const button = new ButtonBuilder()
			.setCustomId('video:delete:job-1234')
			.setLabel('Delete')
			.setStyle(ButtonStyle.Danger);
		const [first, second] = interactions;
		if (!first || !second) throw new Error('expected two interactions');

		const posted = await first.followUp({
			content: 'your video',
			files: [new AttachmentBuilder(Buffer.from('mp4 bytes'), { name: 'video.mp4' })],
			components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button)],
		});
		await second.followUp('another video');
		const followups = standIn.requests.filter((request) => request.route === '/webhooks/{webhook_id}/{webhook_token}');
		// Each interaction's webhook is its own bucket: both had their full allowance left.
		expect(followups.map((request) => [request.status, request.responseHeaders['x-ratelimit-remaining']])).toEqual([
			[200, '4'],
			[200, '4'],
		]);
		expect(posted.attachments.size).toBe(1);

		const history = (await client.rest.get(Routes.channelMessages(channel.id), {
			query: new URLSearchParams({ limit: '1', after: (BigInt(posted.id) - 1n).toString() }),
		})) as Array<{ id: string; components?: unknown[] }>;
		expect(history.map((message) => message.id)).toEqual([posted.id]);
		expect(JSON.stringify(history[0]?.components)).toContain('video:delete:job-1234');
		const newest = (await client.rest.get(Routes.channelMessages(channel.id))) as Array<{ id: string }>;
		expect(newest[0]?.id).not.toBe(posted.id);
		expect(newest.map((message) => message.id)).toContain(posted.id);

		await first.editReply({ content: 'edited through the webhook', message: posted.id });
		expect(standIn.findMessage(posted.id)?.content).toBe('edited through the webhook');
		await first.deleteReply(posted.id);
		expect(standIn.findMessage(posted.id)).toBeUndefined();

		standIn.expireToken(second.token);
		expect(await discordErrorCode(second.followUp('too late'))).toBe(50027);
	});

	it('carries out a request whose answer it then loses, when told to', async () => {
		const { standIn, client, channel } = await connectedStandIn();
		const received = nextInteraction(client);
		standIn.runCommand({ name: 'video', channelId: channel.id });
		const interaction = await received;
		await interaction.deferReply();
		const lost = standIn.failRoutes({ method: 'POST', path: /^\/webhooks\/\d+\/[^/]+$/ }, { answerLost: 503 });
		onTestFinished(() => lost.end());

		const failed = await client.rest
			.post(Routes.webhook(client.application?.id ?? '', interaction.token), {
				body: { content: 'made, answer lost' },
				auth: false,
				query: new URLSearchParams({ wait: 'true' }),
			})
			.then(
				() => undefined,
				(error: unknown) => error,
			);
		expect(failed).toBeDefined();
		const made = standIn.channelMessages(channel.id).filter((message) => message.content === 'made, answer lost');
		// discord.js repeats a 5xx by itself, and a webhook takes no nonce: each repeat made one more message.
		expect(made.length).toBeGreaterThan(0);
		expect(standIn.requests.filter((request) => request.status === 503)).toHaveLength(made.length);
	});

	it('lets the client resume after a gateway reconnect, replaying what it missed', async () => {
		const { standIn, client } = await connectedStandIn();
		const resumed = once(client, Events.ShardResume);

		standIn.requestGatewayReconnect();
		const received = nextInteraction(client);
		const handle = standIn.runCommand({ name: 'video' });
		await resumed;

		expect((await received).id).toBe(handle.id);
	});

	it('delivers a button press and a modal submit with the right fields', async () => {
		const { standIn, client, channel } = await connectedStandIn();
		const member = { id: '300000000000000003', username: 'bob' };
		const button = new ButtonBuilder().setCustomId('extend:job-1').setLabel('Extend').setStyle(ButtonStyle.Secondary);
		const result = await channel.send({
			content: 'done',
			components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button)],
		});

		const pressed = nextInteraction<Interaction>(client);
		standIn.pressButton({ messageId: result.id, customId: 'extend:job-1', user: member });
		const press = await pressed;
		if (!press.isButton()) throw new Error(`expected a button press, got interaction type ${press.type}`);
		expect(press.customId).toBe('extend:job-1');
		expect(press.message.id).toBe(result.id);
		expect(press.user.id).toBe(member.id);
		await press.showModal(
			new ModalBuilder()
				.setCustomId('extend-modal:job-1')
				.setTitle('Extend')
				.addLabelComponents(
					new LabelBuilder()
						.setLabel('Prompt')
						.setTextInputComponent(new TextInputBuilder().setCustomId('prompt').setStyle(TextInputStyle.Paragraph)),
				),
		);

		const submitted = nextInteraction<Interaction>(client);
		const submission = standIn.submitModal({
			customId: 'extend-modal:job-1',
			fields: { prompt: 'and then it flies' },
			messageId: result.id,
			user: member,
		});
		const modal = await submitted;
		if (!modal.isModalSubmit()) throw new Error(`expected a modal submit, got interaction type ${modal.type}`);
		expect(modal.customId).toBe('extend-modal:job-1');
		expect(modal.fields.getTextInputValue('prompt')).toBe('and then it flies');
		expect(modal.message?.id).toBe(result.id);
		await modal.deferUpdate();

		expect(submission.callbacks()).toMatchObject([{ type: 6 }]);
		expect(standIn.validationFailures).toEqual([]);
	});

	it('enforces upload limits, nonces, channel permissions and closed DMs', async () => {
		const { standIn, client, channel } = await connectedStandIn({ channelUploadLimit: 1000 });
		const bigFile = () => new AttachmentBuilder(Buffer.alloc(2000), { name: 'big.mp4' });

		const received = nextInteraction(client);
		standIn.runCommand({ name: 'video', attachmentSizeLimit: 1500 });
		const interaction = await received;
		expect(await discordErrorCode(interaction.reply({ files: [bigFile()] }))).toBe(40005);
		expect(await discordErrorCode(channel.send({ files: [bigFile()] }))).toBe(40005);

		const first = await channel.send({ content: 'once', nonce: 'job-1', enforceNonce: true });
		const repeat = await channel.send({ content: 'once', nonce: 'job-1', enforceNonce: true });
		expect(repeat.id).toBe(first.id);

		standIn.closeDms(standIn.defaultUser.id);
		expect(await discordErrorCode(client.users.send(standIn.defaultUser.id, 'hello'))).toBe(50007);
		standIn.denyChannelPermission(channel.id);
		expect(await discordErrorCode(channel.send('denied'))).toBe(50013);
		expect(standIn.channelMessages(channel.id).map((message) => message.content)).toEqual(['once']);
	});

	it('gives up waitFor with the recent requests in the message', async () => {
		const { standIn } = await connectedStandIn();

		await expect(standIn.waitFor(() => false, 50)).rejects.toThrow(/GET \/gateway\/bot -> 200/);
		await expect(standIn.waitFor(() => standIn.requests[0])).resolves.toMatchObject({ path: '/gateway/bot' });
	});
});
