import type { APIMessage } from 'discord.js';
import { InteractionResponseType, InteractionType, MessageFlags } from 'discord.js';
import { discordErrors, InvalidFormBodyError, throwError } from '../discord-errors.js';
import type { ParsedRequest } from '../http-request.js';
import type { InteractionRecord, ShownModal } from '../interaction-store.js';
import { assertNotEmpty, assertUploadsWithin, type MessageBody, type UploadedFile } from '../message-composer.js';
import { noContent, ok, type RouteDefinition, type StandInState } from '../stand-in-state.js';
import { interactionAwaitingResponse, interactionMessageExtras, responseMessageType } from './interaction-access.js';

interface CallbackBody {
	type: number;
	data?: (MessageBody & Partial<ShownModal>) | null;
}

const invalidResponse = (message: string) => new InvalidFormBodyError([{ path: '/type', message }]);

export function interactionCallbackRoute(state: StandInState): RouteDefinition {
	const sourceMessageOf = (record: InteractionRecord): APIMessage => {
		if (record.sourceMessageId === undefined) {
			throw invalidResponse('Only interactions from a message component can update that message');
		}
		return state.messages.get(record.sourceMessageId) ?? throwError(discordErrors.unknownMessage());
	};

	const newResponseMessage = (record: InteractionRecord, body: MessageBody, files: UploadedFile[], extraFlags = 0) =>
		state.composer.compose({
			channelId: record.channelId,
			author: state.botUser,
			type: responseMessageType(record),
			body,
			files,
			extraFlags,
			extra: interactionMessageExtras(state, record),
		});

	const respond = (record: InteractionRecord, body: CallbackBody, request: ParsedRequest): APIMessage | undefined => {
		const data = body.data ?? {};
		switch (body.type) {
			case InteractionResponseType.ChannelMessageWithSource:
				assertUploadsWithin(request.files, record.attachmentSizeLimit);
				assertNotEmpty(data, request.files);
				return newResponseMessage(record, data, request.files);
			case InteractionResponseType.DeferredChannelMessageWithSource: {
				const flags = data.flags ?? 0;
				if (Object.keys(data).some((key) => key !== 'flags') || (flags & ~MessageFlags.Ephemeral) !== 0) {
					throw new InvalidFormBodyError([
						{ path: '/data', message: 'A deferred response may only carry the ephemeral flag' },
					]);
				}
				return newResponseMessage(record, { flags }, [], MessageFlags.Loading);
			}
			case InteractionResponseType.DeferredMessageUpdate:
				return sourceMessageOf(record);
			case InteractionResponseType.UpdateMessage:
				assertUploadsWithin(request.files, record.attachmentSizeLimit);
				return state.composer.edit(sourceMessageOf(record), data, request.files);
			case InteractionResponseType.Modal:
				if (record.payload.type === InteractionType.ModalSubmit) {
					throw invalidResponse('A modal cannot answer a modal submit');
				}
				record.modal = data as ShownModal;
				return undefined;
			default:
				throw invalidResponse(`Interaction response type ${body.type} is not supported by the stand-in`);
		}
	};

	return {
		method: 'POST',
		template: '/interactions/{interaction_id}/{interaction_token}/callback',
		needsBotToken: false,
		handle: (request, { interaction_id = '', interaction_token = '' }) => {
			const record = interactionAwaitingResponse(state, interaction_id, interaction_token);
			const body = request.body as CallbackBody;
			const message = respond(record, body, request);
			record.responseType = body.type;
			record.callbacks.push(body);
			if (message) {
				state.messages.save(message);
				record.originalMessageId = message.id;
			}
			if (request.query.with_response !== 'true') return noContent;
			const flags = message?.flags ?? 0;
			return ok({
				interaction: {
					id: record.id,
					type: record.payload.type,
					...(message
						? {
								response_message_id: message.id,
								response_message_loading: (flags & MessageFlags.Loading) !== 0,
								response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
							}
						: {}),
				},
				resource: { type: body.type, ...(message ? { message } : {}) },
			});
		},
	};
}
