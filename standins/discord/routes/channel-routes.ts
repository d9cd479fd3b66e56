import type { APIMessage } from 'discord.js';
import { MessageType } from 'discord.js';
import { discordErrors, throwError } from '../discord-errors.js';
import { assertNotEmpty, assertUploadsWithin, type MessageBody } from '../message-composer.js';
import { permissionBits } from '../permissions.js';
import { noContent, ok, type RouteDefinition, type StandInState } from '../stand-in-state.js';
import type { StandInChannel } from '../world.js';

export function channelRoutes(state: StandInState): RouteDefinition[] {
	const channelOf = (channelId: string | undefined): StandInChannel =>
		state.world.channel(channelId ?? '') ?? throwError(discordErrors.unknownChannel());
	const messageIn = (channelId: string | undefined, messageId: string | undefined): APIMessage => {
		channelOf(channelId);
		const message = state.messages.get(messageId ?? '');
		return message && message.channel_id === channelId ? message : throwError(discordErrors.unknownMessage());
	};
	const assertBotMayPost = (channel: StandInChannel, withFiles: boolean): void => {
		const recipientId = state.world.dmRecipientOf(channel.id);
		if (recipientId !== undefined && state.faults.areDmsClosed(recipientId)) throw discordErrors.cannotMessageUser();
		const permissions = state.world.botPermissionsIn(channel.id);
		const needed =
			permissionBits.viewChannel | permissionBits.sendMessages | (withFiles ? permissionBits.attachFiles : 0n);
		if ((permissions & needed) !== needed) throw discordErrors.missingPermissions();
	};

	return [
		{
			method: 'GET',
			template: '/channels/{channel_id}',
			needsBotToken: true,
			handle: (_request, { channel_id }) => ok(channelOf(channel_id)),
		},
		{
			method: 'POST',
			template: '/channels/{channel_id}/messages',
			needsBotToken: true,
			handle: (request, { channel_id }) => {
				const channel = channelOf(channel_id);
				const body = request.body as MessageBody;
				assertBotMayPost(channel, request.files.length > 0);
				assertUploadsWithin(request.files, state.limits.channelUploadLimit);
				assertNotEmpty(body, request.files);
				const nonce = body.nonce === undefined || body.nonce === null ? undefined : String(body.nonce);
				const earlier =
					nonce !== undefined && body.enforce_nonce ? state.messages.byNonce(channel.id, nonce) : undefined;
				if (earlier) return ok(earlier);
				const reference = body.message_reference;
				const message = state.composer.compose({
					channelId: channel.id,
					author: state.botUser,
					type: reference ? MessageType.Reply : MessageType.Default,
					body,
					files: request.files,
					...(reference ? { extra: { message_reference: { type: 0, channel_id: channel.id, ...reference } } } : {}),
				});
				state.messages.save(message);
				if (nonce !== undefined) state.messages.rememberNonce(channel.id, nonce, message.id);
				return ok(message);
			},
		},
		{
			method: 'GET',
			template: '/channels/{channel_id}/messages',
			needsBotToken: true,
			handle: ({ query }, { channel_id }) => {
				const channel = channelOf(channel_id);
				const permissions = state.world.botPermissionsIn(channel.id);
				if ((permissions & permissionBits.viewChannel) === 0n) throw discordErrors.missingAccess();
				// Discord answers an empty history, not an error, to a bot without Read Message History.
				if ((permissions & permissionBits.readMessageHistory) === 0n) return ok([]);
				const limit = Math.min(100, Math.max(1, Number(query.limit ?? 50) || 50));
				return ok(state.messages.page(channel.id, { limit, before: query.before, after: query.after }));
			},
		},
		{
			method: 'GET',
			template: '/channels/{channel_id}/messages/{message_id}',
			needsBotToken: true,
			handle: (_request, { channel_id, message_id }) => ok(messageIn(channel_id, message_id)),
		},
		{
			method: 'PATCH',
			template: '/channels/{channel_id}/messages/{message_id}',
			needsBotToken: true,
			handle: (request, { channel_id, message_id }) => {
				const message = messageIn(channel_id, message_id);
				if (message.author.id !== state.botUser.id) throw discordErrors.cannotEditOthersMessage();
				assertUploadsWithin(request.files, state.limits.channelUploadLimit);
				const edited = state.composer.edit(message, request.body as MessageBody, request.files);
				state.messages.save(edited);
				return ok(edited);
			},
		},
		{
			method: 'DELETE',
			template: '/channels/{channel_id}/messages/{message_id}',
			needsBotToken: true,
			handle: (_request, { channel_id, message_id }) => {
				const message = messageIn(channel_id, message_id);
				const mayManage = (state.world.botPermissionsIn(message.channel_id) & permissionBits.manageMessages) !== 0n;
				if (message.author.id !== state.botUser.id && !mayManage) throw discordErrors.missingPermissions();
				state.messages.delete(message.id);
				return noContent;
			},
		},
	];
}
