import type { APIInteraction, APIMessage } from 'discord.js';
import type { InteractionRecord } from './interaction-store.js';
import type { StandInState } from './stand-in-state.js';

export interface InteractionHandle {
	id: string;
	token: string;
	payload: APIInteraction;
	/** The initial responses Discord accepted (at most one). */
	callbacks(): unknown[];
	/** The `@original` message as it is now; undefined before a response or after deletion. */
	original(): APIMessage | undefined;
	followups(): APIMessage[];
}

export function dispatchInteraction(
	state: StandInState,
	payload: APIInteraction,
	context: { channelId: string; attachmentSizeLimit: number; sourceMessageId?: string },
): InteractionHandle {
	if (!state.gateway.hasSession(payload.guild_id)) {
		throw new Error(
			`No discord.js client holds the shard of ${payload.guild_id ? `guild ${payload.guild_id}` : 'DMs'} at the stand-in gateway: await client.login() first`,
		);
	}
	const record: InteractionRecord = {
		id: payload.id,
		token: payload.token,
		payload,
		channelId: context.channelId,
		dispatchedAt: Date.now(),
		attachmentSizeLimit: context.attachmentSizeLimit,
		callbacks: [],
		responseType: undefined,
		originalMessageId: undefined,
		followupMessageIds: [],
		sourceMessageId: context.sourceMessageId,
		modal: undefined,
	};
	state.interactions.add(record);
	state.gateway.dispatch('INTERACTION_CREATE', payload);
	return {
		id: record.id,
		token: record.token,
		payload,
		callbacks: () => [...record.callbacks],
		original: () => (record.originalMessageId === undefined ? undefined : state.messages.get(record.originalMessageId)),
		followups: () =>
			record.followupMessageIds
				.map((id) => state.messages.get(id))
				.filter((message): message is APIMessage => message !== undefined),
	};
}
