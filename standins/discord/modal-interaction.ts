import type { APIInteraction } from 'discord.js';
import { ComponentType, InteractionType } from 'discord.js';
import type { UserSeed } from './api-objects.js';
import { resolveActor } from './interaction-actor.js';
import { interactionBase } from './interaction-base.js';
import { dispatchInteraction, type InteractionHandle } from './interaction-dispatch.js';
import type { ShownModal } from './interaction-store.js';
import type { StandInState } from './stand-in-state.js';

export interface ModalSubmission {
	customId: string;
	fields: Record<string, string>;
	user?: UserSeed;
	channelId?: string;
	/** The message whose component opened the modal, if any. */
	messageId?: string;
	roleIds?: string[];
	locale?: string;
}

type SubmittedComponent = Record<string, unknown>;

interface ModalComponent {
	type: number;
	id?: number;
	custom_id?: string;
	component?: ModalComponent;
	components?: ModalComponent[];
}

/** Each field as a text input inside a label, the layout Discord currently recommends for modals. */
function labelledLayout(fields: Record<string, string>): ModalComponent[] {
	return Object.keys(fields).map((customId) => ({
		type: ComponentType.Label,
		component: { type: ComponentType.TextInput, custom_id: customId },
	}));
}

/** Mirrors the modal the bot showed, as Discord does: rows stay rows, labels stay labels, inputs get their values. */
function submittedComponents(modal: ShownModal | undefined, fields: Record<string, string>): SubmittedComponent[] {
	const layout = (modal?.components as ModalComponent[] | undefined) ?? labelledLayout(fields);
	let nextId = 1;
	const unused = new Set(Object.keys(fields));
	const submit = (component: ModalComponent): SubmittedComponent => {
		const id = component.id ?? nextId;
		nextId = Math.max(nextId, id) + 1;
		if (component.component) return { type: component.type, id, component: submit(component.component) };
		if (component.components) return { type: component.type, id, components: component.components.map(submit) };
		if (component.custom_id === undefined) return { type: component.type, id };
		unused.delete(component.custom_id);
		const value = fields[component.custom_id] ?? '';
		return component.type === ComponentType.TextInput
			? { type: component.type, id, custom_id: component.custom_id, value }
			: { type: component.type, id, custom_id: component.custom_id, values: value === '' ? [] : [value] };
	};
	const components = layout.map(submit);
	if (unused.size > 0) {
		throw new Error(`Modal "${modal?.custom_id}" has no field ${[...unused].join(', ')}`);
	}
	return components;
}

export function submitModal(state: StandInState, submission: ModalSubmission): InteractionHandle {
	const message = submission.messageId === undefined ? undefined : state.messages.get(submission.messageId);
	if (submission.messageId !== undefined && !message)
		throw new Error(`The stand-in has no message ${submission.messageId}`);
	const actor = resolveActor(state, {
		...submission,
		...(message ? { channelId: message.channel_id } : {}),
	});
	const payload = {
		...interactionBase(state, InteractionType.ModalSubmit, actor),
		...(message ? { message } : {}),
		data: {
			custom_id: submission.customId,
			components: submittedComponents(state.interactions.latestModal(submission.customId), submission.fields),
		},
	} as unknown as APIInteraction;
	return dispatchInteraction(state, payload, {
		channelId: actor.channel.id,
		attachmentSizeLimit: actor.attachmentSizeLimit,
		...(message ? { sourceMessageId: message.id } : {}),
	});
}
