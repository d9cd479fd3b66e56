import type { APIMessage, APIMessageInteractionMetadata } from 'discord.js';
import { InteractionType, MessageType } from 'discord.js';
import { discordErrors } from '../discord-errors.js';
import type { InteractionRecord } from '../interaction-store.js';
import type { StandInState } from '../stand-in-state.js';

function tokenExpired(state: StandInState, record: InteractionRecord): boolean {
	return (
		state.faults.isTokenExpired(record.token) || Date.now() - record.dispatchedAt > state.limits.interactionTokenTtlMs
	);
}

/** The interaction an initial response is for, or the error Discord gives for a response it will not take. */
export function interactionAwaitingResponse(state: StandInState, id: string, token: string): InteractionRecord {
	const record = state.interactions.byId(id);
	if (!record || record.token !== token) throw discordErrors.unknownInteraction();
	if (tokenExpired(state, record)) throw discordErrors.invalidWebhookToken();
	if (record.responseType !== undefined) throw discordErrors.alreadyAcknowledged();
	if (Date.now() - record.dispatchedAt > state.limits.interactionDeadlineMs) throw discordErrors.unknownInteraction();
	return record;
}

export function interactionForWebhook(state: StandInState, applicationId: string, token: string): InteractionRecord {
	const record = state.interactions.byToken(token);
	if (!record || applicationId !== state.applicationId) throw discordErrors.unknownWebhook();
	if (tokenExpired(state, record)) throw discordErrors.invalidWebhookToken();
	return record;
}

export function responseMessageType(record: InteractionRecord): MessageType {
	return record.payload.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Reply;
}

/** What Discord adds to messages made through an interaction's webhook. */
export function interactionMessageExtras(state: StandInState, record: InteractionRecord): Partial<APIMessage> {
	const { payload } = record;
	const user = payload.member?.user ?? payload.user;
	const metadata = {
		id: record.id,
		type: payload.type,
		user,
		authorizing_integration_owners: payload.authorizing_integration_owners,
		...(payload.type === InteractionType.ApplicationCommand
			? { name: payload.data.name, command_type: payload.data.type }
			: {}),
		...(record.sourceMessageId === undefined ? {} : { interacted_message_id: record.sourceMessageId }),
		...(record.originalMessageId === undefined ? {} : { original_response_message_id: record.originalMessageId }),
	} as APIMessageInteractionMetadata;
	return { webhook_id: state.applicationId, application_id: state.applicationId, interaction_metadata: metadata };
}
