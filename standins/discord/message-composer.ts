import type { APIAttachment, APIEmbed, APIMessage, APIUser } from 'discord.js';
import { EmbedType, MessageFlags, type MessageType } from 'discord.js';
import { discordTimestamp, makeUser } from './api-objects.js';
import { type AttachmentStore, contentTypeForFilename } from './attachment-store.js';
import { discordErrors } from './discord-errors.js';
import { nextSnowflake } from './snowflake.js';
import type { DiscordWorld } from './world.js';

export interface UploadedFile {
	name: string;
	filename: string;
	contentType: string;
	bytes: Buffer;
}

/** The message fields of a create or edit body (channel message, webhook message or interaction response). */
export interface MessageBody {
	content?: string | null;
	embeds?: APIEmbed[] | null;
	components?: unknown[] | null;
	flags?: number | null;
	attachments?: Array<{ id: string | number; filename?: string | null; description?: string | null }> | null;
	allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean } | null;
	tts?: boolean | null;
	nonce?: string | number | null;
	enforce_nonce?: boolean | null;
	message_reference?: { message_id?: string; channel_id?: string } | null;
}

export interface NewMessage {
	channelId: string;
	author: APIUser;
	type: MessageType;
	body: MessageBody;
	files: UploadedFile[];
	extraFlags?: number;
	extra?: Partial<APIMessage>;
}

const flagsKeptFromBody =
	MessageFlags.Ephemeral |
	MessageFlags.SuppressEmbeds |
	MessageFlags.SuppressNotifications |
	MessageFlags.IsComponentsV2;
const flagsChangeableByEdit = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;

export class MessageComposer {
	constructor(
		private readonly world: DiscordWorld,
		private readonly attachments: AttachmentStore,
	) {}

	compose(input: NewMessage): APIMessage {
		const { body } = input;
		const content = body.content ?? '';
		const attachments = this.storeUploads(input.channelId, body, input.files);
		const message: APIMessage = {
			id: nextSnowflake(),
			type: input.type,
			channel_id: input.channelId,
			author: input.author,
			content,
			timestamp: discordTimestamp(),
			edited_timestamp: null,
			tts: body.tts ?? false,
			pinned: false,
			attachments,
			embeds: resolveEmbeds(body.embeds ?? [], attachments),
			components: asComponents(body.components),
			flags: ((body.flags ?? 0) & flagsKeptFromBody) | (input.extraFlags ?? 0),
			...this.mentionsIn(content, body.allowed_mentions),
			...(body.nonce === undefined || body.nonce === null ? {} : { nonce: body.nonce }),
			...input.extra,
		};
		return message;
	}

	edit(existing: APIMessage, body: MessageBody, files: UploadedFile[]): APIMessage {
		const kept =
			body.attachments === undefined || body.attachments === null
				? existing.attachments
				: existing.attachments.filter((attachment) =>
						body.attachments?.some((entry) => String(entry.id) === attachment.id),
					);
		const attachments = [...kept, ...this.storeUploads(existing.channel_id, body, files)];
		const existingFlags = existing.flags ?? 0;
		const wasLoading = (existingFlags & MessageFlags.Loading) !== 0;
		const changedFlags = (body.flags ?? existingFlags) & flagsChangeableByEdit;
		const content = body.content === undefined ? existing.content : (body.content ?? '');
		return {
			...existing,
			content,
			attachments,
			embeds: body.embeds === undefined ? existing.embeds : resolveEmbeds(body.embeds ?? [], attachments),
			components: asComponents(body.components === undefined ? existing.components : body.components),
			flags: (existingFlags & ~flagsChangeableByEdit & ~MessageFlags.Loading) | changedFlags,
			edited_timestamp: wasLoading ? null : discordTimestamp(),
			...(body.content === undefined ? {} : this.mentionsIn(content, body.allowed_mentions)),
		};
	}

	private storeUploads(channelId: string, body: MessageBody, files: UploadedFile[]): APIAttachment[] {
		return files.map((file, ordinal) => {
			const index = /^files\[(\d+)\]$/.exec(file.name)?.[1] ?? String(ordinal);
			const entry = body.attachments?.find((attachment) => String(attachment.id) === index);
			const filename = entry?.filename ?? file.filename;
			return this.attachments.store({
				channelId,
				filename,
				bytes: file.bytes,
				contentType: contentTypeForFilename(filename, file.contentType),
				...(entry?.description ? { description: entry.description } : {}),
			});
		});
	}

	private mentionsIn(
		content: string,
		allowed: MessageBody['allowed_mentions'],
	): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
		const parse = allowed?.parse ?? (allowed ? [] : ['users', 'roles', 'everyone']);
		const mentionedIds = [...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1] ?? '');
		const allowedIds = parse.includes('users')
			? mentionedIds
			: mentionedIds.filter((id) => allowed?.users?.includes(id));
		const mentionedRoles = [...content.matchAll(/<@&(\d+)>/g)].map((match) => match[1] ?? '');
		return {
			mentions: [...new Set(allowedIds)].map((id) => this.world.user(id) ?? makeUser({ id })),
			mention_roles: parse.includes('roles')
				? mentionedRoles
				: mentionedRoles.filter((id) => allowed?.roles?.includes(id)),
			mention_everyone: parse.includes('everyone') && /@(everyone|here)/.test(content),
		};
	}
}

/** Components are stored as the bot sent them; the body was validated against the spec. */
function asComponents(components: unknown[] | null | undefined): NonNullable<APIMessage['components']> {
	return (components ?? []) as NonNullable<APIMessage['components']>;
}

/** `attachment://name` in an embed points at an uploaded file; Discord rewrites it to the file's URL. */
function resolveEmbeds(embeds: APIEmbed[], attachments: APIAttachment[]): APIEmbed[] {
	const resolveMedia = <T extends { url: string }>(media: T | undefined): T | undefined => {
		if (!media?.url.startsWith('attachment://')) return media;
		const attachment = attachments.find((candidate) => candidate.filename === media.url.slice('attachment://'.length));
		return attachment ? { ...media, url: attachment.url, proxy_url: attachment.proxy_url } : media;
	};
	return embeds.map((embed) => {
		const image = resolveMedia(embed.image);
		const thumbnail = resolveMedia(embed.thumbnail);
		return { type: EmbedType.Rich, ...embed, ...(image ? { image } : {}), ...(thumbnail ? { thumbnail } : {}) };
	});
}

export function assertUploadsWithin(files: UploadedFile[], limitBytes: number): void {
	if (files.some((file) => file.bytes.length > limitBytes)) throw discordErrors.requestEntityTooLarge();
}

export function assertNotEmpty(body: MessageBody | undefined, files: UploadedFile[]): void {
	const hasSomething =
		Boolean(body?.content) || Boolean(body?.embeds?.length) || Boolean(body?.components?.length) || files.length > 0;
	if (!hasSomething) throw discordErrors.emptyMessage();
}
