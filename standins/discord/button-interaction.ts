import type { APIInteraction } from 'discord.js';
import { InteractionType } from 'discord.js';
import type { UserSeed } from './api-objects.js';
import { resolveActor } from './interaction-actor.js';
import { interactionBase } from './interaction-base.js';
import { dispatchInteraction, type InteractionHandle } from './interaction-dispatch.js';
import type { StandInState } from './stand-in-state.js';

export interface ButtonPress {
	messageId: string;
	customId: string;
	channelId?: string;
	user?: UserSeed;
	memberPermissions?: string;
	roleIds?: string[];
	locale?: string;
}

interface ComponentLike {
	type: number;
	custom_id?: string;
	components?: ComponentLike[];
	accessory?: ComponentLike;
}

function findComponent(components: ComponentLike[], customId: string): ComponentLike | undefined {
	for (const component of components) {
		if (component.custom_id === customId) return component;
		const nested = [...(component.components ?? []), ...(component.accessory ? [component.accessory] : [])];
		const found = findComponent(nested, customId);
		if (found) return found;
	}
	return undefined;
}

function customIdsIn(components: ComponentLike[]): string[] {
	return components.flatMap((component) => [
		...(component.custom_id === undefined ? [] : [component.custom_id]),
		...customIdsIn([...(component.components ?? []), ...(component.accessory ? [component.accessory] : [])]),
	]);
}

export function pressButton(state: StandInState, press: ButtonPress): InteractionHandle {
	const message = state.messages.get(press.messageId);
	if (!message || (press.channelId !== undefined && message.channel_id !== press.channelId)) {
		throw new Error(
			`The stand-in has no message ${press.messageId}${press.channelId ? ` in channel ${press.channelId}` : ''}`,
		);
	}
	const components = (message.components ?? []) as ComponentLike[];
	const component = findComponent(components, press.customId);
	if (!component) {
		throw new Error(
			`Message ${message.id} has no component "${press.customId}"; it has: ${customIdsIn(components).join(', ')}`,
		);
	}
	const actor = resolveActor(state, { ...press, channelId: message.channel_id });
	const payload = {
		...interactionBase(state, InteractionType.MessageComponent, actor),
		message,
		data: { custom_id: press.customId, component_type: component.type },
	} as APIInteraction;
	return dispatchInteraction(state, payload, {
		channelId: actor.channel.id,
		attachmentSizeLimit: actor.attachmentSizeLimit,
		sourceMessageId: message.id,
	});
}
