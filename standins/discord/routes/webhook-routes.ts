import type { APIMessage } from 'discord.js';
import { discordErrors, throwError } from '../discord-errors.js';
import type { InteractionRecord } from '../interaction-store.js';
import { assertNotEmpty, assertUploadsWithin, type MessageBody } from '../message-composer.js';
import type { PathParams } from '../route-template.js';
import { noContent, ok, type RouteDefinition, type StandInState } from '../stand-in-state.js';
import { interactionForWebhook, interactionMessageExtras, responseMessageType } from './interaction-access.js';

export function webhookRoutes(state: StandInState): RouteDefinition[] {
	const interactionOf = ({ webhook_id = '', webhook_token = '' }: PathParams): InteractionRecord =>
		interactionForWebhook(state, webhook_id, webhook_token);

	const messageOf = (record: InteractionRecord, messageId: string | undefined): APIMessage => {
		const id = messageId ?? record.originalMessageId;
		const belongs = id !== undefined && (id === record.originalMessageId || record.followupMessageIds.includes(id));
		return (belongs ? state.messages.get(id) : undefined) ?? throwError(discordErrors.unknownMessage());
	};

	const messageRoutes = (template: string): RouteDefinition[] => [
		{
			method: 'GET',
			template,
			needsBotToken: false,
			handle: (_request, params) => ok(messageOf(interactionOf(params), params.message_id)),
		},
		{
			method: 'PATCH',
			template,
			needsBotToken: false,
			handle: (request, params) => {
				const record = interactionOf(params);
				const message = messageOf(record, params.message_id);
				assertUploadsWithin(request.files, record.attachmentSizeLimit);
				const edited = state.composer.edit(message, request.body as MessageBody, request.files);
				state.messages.save(edited);
				return ok(edited);
			},
		},
		{
			method: 'DELETE',
			template,
			needsBotToken: false,
			handle: (_request, params) => {
				state.messages.delete(messageOf(interactionOf(params), params.message_id).id);
				return noContent;
			},
		},
	];

	return [
		{
			method: 'POST',
			template: '/webhooks/{webhook_id}/{webhook_token}',
			needsBotToken: false,
			handle: (request, params) => {
				const record = interactionOf(params);
				// Discord only opens the interaction's webhook once the interaction has been answered.
				if (record.responseType === undefined) throw discordErrors.unknownWebhook();
				const body = request.body as MessageBody;
				assertUploadsWithin(request.files, record.attachmentSizeLimit);
				assertNotEmpty(body, request.files);
				const message = state.composer.compose({
					channelId: record.channelId,
					author: state.botUser,
					type: responseMessageType(record),
					body,
					files: request.files,
					extra: interactionMessageExtras(state, record),
				});
				state.messages.save(message);
				record.followupMessageIds.push(message.id);
				return request.query.wait === 'true' ? ok(message) : noContent;
			},
		},
		...messageRoutes('/webhooks/{webhook_id}/{webhook_token}/messages/@original'),
		...messageRoutes('/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}'),
	];
}
