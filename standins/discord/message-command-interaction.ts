import type { APIEmbed, APIInteraction, APIMessage, APIMessageApplicationCommandInteractionData } from 'discord.js';
import { ApplicationCommandType, EmbedType, InteractionType, MessageType } from 'discord.js';
import type { UserSeed } from './api-objects.js';
import { contentTypeForFilename } from './attachment-store.js';
import { type ActorSpec, resolveActor } from './interaction-actor.js';
import { interactionBase } from './interaction-base.js';
import { dispatchInteraction, type InteractionHandle } from './interaction-dispatch.js';
import type { StandInState } from './stand-in-state.js';

interface MemberFile {
	filename: string;
	bytes: Buffer;
}

export interface MemberMessage {
	user?: UserSeed;
	channelId?: string;
	content?: string;
	files?: MemberFile[];
	/** A link preview whose image Discord's media proxy serves (`proxy_url`), as for any linked image. */
	embedImage?: MemberFile & { linkedUrl: string };
}

/** A message a member posted in a channel, as Discord stores it: their attachments on the CDN, a link's preview. */
export function postMemberMessage(state: StandInState, input: MemberMessage): APIMessage {
	const actor = resolveActor(state, { ...input });
	const channelId = actor.channel.id;
	const files = (input.files ?? []).map((file) => ({
		name: file.filename,
		filename: file.filename,
		contentType: contentTypeForFilename(file.filename) ?? 'application/octet-stream',
		bytes: file.bytes,
	}));
	const embeds: APIEmbed[] = [];
	if (input.embedImage) {
		const proxied = state.attachments.store({
			channelId,
			filename: input.embedImage.filename,
			bytes: input.embedImage.bytes,
			contentType: contentTypeForFilename(input.embedImage.filename),
		});
		const image = { url: input.embedImage.linkedUrl, proxy_url: proxied.url, width: 64, height: 64 };
		embeds.push({ type: EmbedType.Image, url: input.embedImage.linkedUrl, thumbnail: image });
	}
	const message = state.composer.compose({
		channelId,
		author: actor.user,
		type: MessageType.Default,
		body: { content: input.content ?? '', embeds: [] },
		files,
		extra: embeds.length > 0 ? { embeds } : {},
	});
	state.messages.save(message);
	return message;
}

export interface MessageCommandRun extends ActorSpec {
	/** The command's registered (en-US) name. */
	name: string;
	messageId: string;
}

/** Right-click a message → Apps → a message command: Discord sends the whole target message in `resolved`. */
export function runMessageCommand(state: StandInState, run: MessageCommandRun): InteractionHandle {
	const target = state.messages.get(run.messageId);
	if (!target) throw new Error(`The stand-in has no message ${run.messageId}`);
	const actor = resolveActor(state, { ...run, channelId: target.channel_id });
	const command = state.commands
		.list(actor.guild?.id)
		.concat(state.commands.list())
		.find((registered) => registered.name === run.name && registered.type === ApplicationCommandType.Message);
	if (!command) throw new Error(`No message command "${run.name}" is registered`);
	// Typed as Discord's own types describe it: the OpenAPI spec covers REST bodies, not interaction payloads.
	const data = {
		id: command.id,
		name: command.name,
		type: ApplicationCommandType.Message,
		target_id: target.id,
		resolved: { messages: { [target.id]: target } },
		...(command.guild_id === undefined ? {} : { guild_id: command.guild_id }),
	} satisfies APIMessageApplicationCommandInteractionData;
	const payload = { ...interactionBase(state, InteractionType.ApplicationCommand, actor), data } as APIInteraction;
	return dispatchInteraction(state, payload, {
		channelId: actor.channel.id,
		attachmentSizeLimit: actor.attachmentSizeLimit,
	});
}
