import type { APIMessage } from 'discord.js';
import type { CommandOptionValue, InteractionHandle } from './discord/index.js';
import type { Harness } from './harness.js';

export const MEMBER: { id: string; username: string } = { id: '310000000000000001', username: 'mei' };

export function runVideo(
	harness: Harness,
	subcommand: string,
	options: Record<string, CommandOptionValue>,
	extra: { user?: { id: string; username?: string }; locale?: string; attachmentSizeLimit?: number } = {},
): InteractionHandle {
	return harness.discord.runCommand({
		name: 'video',
		subcommand,
		options,
		user: extra.user ?? MEMBER,
		...(extra.locale ? { locale: extra.locale } : {}),
		...(extra.attachmentSizeLimit ? { attachmentSizeLimit: extra.attachmentSizeLimit } : {}),
	});
}

/** The message that carries a finished video (an upload, or a link when it was too large), for one member. */
export function postedVideos(harness: Harness, userId = MEMBER.id): APIMessage[] {
	return harness.discord
		.channelMessages(harness.discord.channelId)
		.filter((message) => message.content.startsWith(`<@${userId}>`) && message.author.id === harness.discord.botUserId)
		.filter((message) => message.attachments.length > 0 || message.content.includes('http'));
}

export async function waitForPostedVideo(harness: Harness, userId = MEMBER.id, timeoutMs = 10_000): Promise<APIMessage> {
	return harness.discord.waitFor(() => postedVideos(harness, userId)[0], timeoutMs);
}

export async function fetchBytes(url: string): Promise<Buffer> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
	return Buffer.from(await response.arrayBuffer());
}

/** The text a member sees in a message: content plus embed titles, descriptions and fields. */
export function visibleText(message: APIMessage | undefined): string {
	if (!message) return '';
	const embeds = message.embeds.flatMap((embed) => [
		embed.title ?? '',
		embed.description ?? '',
		...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
	]);
	return [message.content, ...embeds].join('\n');
}
