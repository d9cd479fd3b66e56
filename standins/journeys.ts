import type { APIEmbed, APIMessage } from 'discord.js';
import type { AttachmentOptionInput, CommandOptionValue, InteractionHandle } from './discord/index.js';
import type { Harness } from './harness.js';

/** The stand-in Discord is all a journey needs, so tests that run the bot as its own process use these too. */
type OnDiscord = Pick<Harness, 'discord'>;

export const MEMBER: { id: string; username: string } = { id: '310000000000000001', username: 'mei' };

export function runVideo(
	harness: OnDiscord,
	subcommand: string,
	options: Record<string, CommandOptionValue>,
	extra: {
		user?: { id: string; username?: string };
		locale?: string;
		attachmentSizeLimit?: number;
		/** Another server of the stand-in than its first. */
		guildId?: string;
		/** The member's roles from now on (ids from the stand-in's `createRole`). */
		roleIds?: string[];
		/** How long ago Discord created the interaction: its token lives 15 minutes from then. */
		createdAgoMs?: number;
	} = {},
): InteractionHandle {
	return harness.discord.runCommand({
		name: 'video',
		subcommand,
		options,
		user: extra.user ?? MEMBER,
		...(extra.guildId ? { guildId: extra.guildId } : {}),
		...(extra.locale ? { locale: extra.locale } : {}),
		...(extra.roleIds ? { roleIds: extra.roleIds } : {}),
		...(extra.attachmentSizeLimit ? { attachmentSizeLimit: extra.attachmentSizeLimit } : {}),
		...(extra.createdAgoMs ? { createdAgoMs: extra.createdAgoMs } : {}),
	});
}

/** The message that carries a finished video (an upload, or a link when it was too large), for one member. */
export function postedVideos(
	harness: OnDiscord,
	userId = MEMBER.id,
	channelId = harness.discord.channelId,
): APIMessage[] {
	return harness.discord
		.channelMessages(channelId)
		.filter((message) => message.content.startsWith(`<@${userId}>`) && message.author.id === harness.discord.botUserId)
		.filter((message) => message.attachments.length > 0 || message.content.includes('http'));
}

export async function waitForPostedVideo(
	harness: OnDiscord,
	userId = MEMBER.id,
	timeoutMs = 10_000,
): Promise<APIMessage> {
	return harness.discord.waitFor(() => postedVideos(harness, userId)[0], timeoutMs);
}

/** The posted video once the job has fully ended: its progress reply links to the post. */
export async function waitForDelivered(
	harness: OnDiscord,
	handle: InteractionHandle,
	userId = MEMBER.id,
): Promise<APIMessage> {
	const posted = await waitForPostedVideo(harness, userId);
	await harness.discord.waitFor(() => visibleText(handle.original()).includes(posted.id), 10_000);
	return posted;
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

/** Discord's Manage Server permission (0x20), as the bitfield string an interaction's member carries. */
const MANAGE_SERVER = '32';

export const ADMIN: { id: string; username: string } = { id: '310000000000000099', username: 'ada' };

/** Distinct members of the stand-in server, for tests that need several. */
export function someMember(index: number): { id: string; username: string } {
	return { id: `3200000000000${String(index).padStart(5, '0')}`, username: `member${index}` };
}

export function runQuota(
	harness: OnDiscord,
	subcommand: 'show' | 'set' | 'member' | 'role' | 'reset',
	options: Record<string, CommandOptionValue> = {},
	extra: { user?: { id: string; username?: string }; memberPermissions?: string; locale?: string } = {},
): InteractionHandle {
	return harness.discord.runCommand({
		name: 'quota',
		subcommand,
		options,
		user: extra.user ?? ADMIN,
		memberPermissions: extra.memberPermissions ?? MANAGE_SERVER,
		...(extra.locale ? { locale: extra.locale } : {}),
	});
}

export function runModeration(
	harness: OnDiscord,
	subcommand: 'block' | 'unblock' | 'list' | 'log',
	options: Record<string, CommandOptionValue> = {},
	extra: {
		user?: { id: string; username?: string };
		memberPermissions?: string;
		locale?: string;
		guildId?: string;
	} = {},
): InteractionHandle {
	return harness.discord.runCommand({
		name: 'moderation',
		subcommand,
		options,
		user: extra.user ?? ADMIN,
		memberPermissions: extra.memberPermissions ?? MANAGE_SERVER,
		...(extra.locale ? { locale: extra.locale } : {}),
		...(extra.guildId ? { guildId: extra.guildId } : {}),
	});
}

/** Text the bot posted in a channel (a log channel, a DM), oldest first. */
export function botPostsIn(harness: OnDiscord, channelId: string): string[] {
	return harness.discord
		.channelMessages(channelId)
		.filter((message) => message.author.id === harness.discord.botUserId)
		.map(visibleText);
}

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

/** A reply only the member sees: an ephemeral follow-up, or an ephemeral deferral once it was filled in. */
export function privateAnswerNow(handle: InteractionHandle): string | undefined {
	const followup = handle.followups().find((message) => ((message.flags ?? 0) & EPHEMERAL) !== 0);
	if (followup) return visibleText(followup);
	const original = handle.original();
	const flags = original?.flags ?? 0;
	if (original && (flags & EPHEMERAL) !== 0 && (flags & LOADING) === 0) return visibleText(original);
	return undefined;
}

export async function privateAnswer(harness: OnDiscord, handle: InteractionHandle, timeoutMs = 5_000): Promise<string> {
	return harness.discord.waitFor(() => privateAnswerNow(handle), timeoutMs);
}

/** The public progress reply of an accepted job, once it shows more than "thinking…". */
export async function progressReply(harness: OnDiscord, handle: InteractionHandle, timeoutMs = 5_000): Promise<string> {
	return harness.discord.waitFor(() => progressReplyNow(handle), timeoutMs);
}

/**
 * What `/video usage` tells a member (in the stand-in's first server, or `guildId`), read from their ephemeral reply;
 * `roleIds`, when given, become the member's roles first.
 */
export async function usageOf(
	harness: OnDiscord,
	user: { id: string; username?: string } = MEMBER,
	guildId?: string,
	roleIds?: string[],
): Promise<string> {
	const command = {
		name: 'video',
		subcommand: 'usage',
		user,
		...(guildId ? { guildId } : {}),
		...(roleIds ? { roleIds } : {}),
	};
	return privateAnswer(harness, harness.discord.runCommand(command));
}

export interface Credits {
	/** Credits the member has used this period (running jobs included). */
	member: number;
	/** Credits the whole server has used this period. */
	server: number;
	/** Videos being made for the member, and in the whole server. */
	memberRunning: number;
	serverRunning: number;
}

function shownNumber(text: string, pattern: RegExp): number {
	const found = pattern.exec(text)?.[1];
	if (found === undefined) throw new Error(`/video usage did not show ${pattern}; it said:\n${text}`);
	return Number(found);
}

/** The numbers `/video usage` shows a member (in English), as the member reads them. */
export async function creditsOf(
	harness: OnDiscord,
	user: { id: string; username?: string } = MEMBER,
	guildId?: string,
): Promise<Credits> {
	const text = await usageOf(harness, user, guildId);
	return {
		member: shownNumber(text, /^You\n(\d+) /m),
		server: shownNumber(text, /^This server\n(\d+) of /m),
		memberRunning: shownNumber(text, /yours: (\d+) of /),
		serverRunning: shownNumber(text, / · server: (\d+) of /),
	};
}

/** What `/video usage` shows the one member who spent, once their jobs have ended: `credits` kept, none running. */
export function charged(credits: number): Credits {
	return { member: credits, server: credits, memberRunning: 0, serverRunning: 0 };
}

/** What `/video jobs` lists for a member, read from their ephemeral reply. */
export async function jobsOf(harness: OnDiscord, user: { id: string; username?: string } = MEMBER): Promise<string> {
	return privateAnswer(harness, harness.discord.runCommand({ name: 'video', subcommand: 'jobs', user }));
}

const ENDED_COLOURS = new Set([0x57f287, 0xed4245]);

/** Waits until the job's progress reply shows it ended (delivered or failed): its credits are settled by then. */
export async function jobEnded(harness: OnDiscord, handle: InteractionHandle, timeoutMs = 10_000): Promise<string> {
	return harness.discord.waitFor(() => {
		const original = handle.original();
		const colour = original?.embeds[0]?.color;
		return colour !== undefined && ENDED_COLOURS.has(colour) && visibleText(original);
	}, timeoutMs);
}

/** An attachment option as a member's client uploads it; `more` can lie about the type or size. */
export function attachment(
	filename: string,
	bytes: Buffer,
	more: Omit<AttachmentOptionInput, 'filename' | 'bytes'> = {},
): { attachment: AttachmentOptionInput } {
	return { attachment: { filename, bytes, ...more } };
}

/**
 * Waits until a message the bot posted in the channel shows every one of `texts`, e.g. a job's prompt and how it
 * stands: where a job's progress goes once its interaction reply is gone.
 */
export async function channelMessageShowing(harness: OnDiscord, texts: string[], timeoutMs = 15_000): Promise<string> {
	return harness.discord.waitFor(
		() =>
			harness.discord
				.channelMessages(harness.discord.channelId)
				.filter((message) => message.author.id === harness.discord.botUserId)
				.map(visibleText)
				.find((shown) => texts.every((text) => shown.includes(text))),
		timeoutMs,
	);
}

/** The title of each edit of a job's progress reply that Discord accepted, in order: every step the member was shown. */
export function progressTitles(harness: OnDiscord, handle: InteractionHandle): string[] {
	const path = `/webhooks/${harness.discord.applicationId}/${handle.token}/messages/@original`;
	return harness.discord.requests
		.filter((request) => request.method === 'PATCH' && request.path === path && request.status === 200)
		.map((request) => (request.body as { embeds?: APIEmbed[] }).embeds?.[0]?.title ?? '');
}

/** Waits until the progress reply (or the channel message standing in for it) shows `text`. */
export async function waitForProgressText(
	harness: OnDiscord,
	handle: InteractionHandle,
	text: string,
	timeoutMs = 10_000,
): Promise<string> {
	return harness.discord.waitFor(() => {
		const shown = visibleText(handle.original());
		return shown.includes(text) && shown;
	}, timeoutMs);
}

/** The bot's JSON log lines, parsed, that match; `level` is pino's number (30 info, 40 warn, 50 error). */
export function logEntries(
	harness: Harness,
	match: { msg?: RegExp; level?: number } = {},
): Array<Record<string, unknown>> {
	return harness.logs
		.entries()
		.filter((entry) => match.msg === undefined || match.msg.test(String(entry.msg)))
		.filter((entry) => match.level === undefined || entry.level === match.level);
}

/** The public progress reply of an accepted job, once it shows more than "thinking…"; undefined before that. */
export function progressReplyNow(handle: InteractionHandle): string | undefined {
	const original = handle.original();
	const flags = original?.flags ?? 0;
	if (!original || (flags & (EPHEMERAL | LOADING)) !== 0 || original.embeds.length === 0) return undefined;
	return visibleText(original);
}

/** The custom id of a button (`reroll`, `extend`, `delete`) on a posted video. */
export function resultButtonId(message: { components?: unknown[] }, action: 'reroll' | 'extend' | 'delete'): string {
	const found = JSON.stringify(message.components ?? []).match(new RegExp(`video:${action}:[\\w-]+`));
	if (!found) throw new Error(`no ${action} button on the message`);
	return found[0];
}

/** Presses Extend on a posted video and answers its modal with `prompt`; returns the modal submit's handle. */
export async function extendWithPrompt(
	harness: OnDiscord,
	posted: APIMessage,
	prompt: string,
	presser: { user: { id: string; username?: string }; roleIds?: string[] } = { user: MEMBER },
): Promise<InteractionHandle> {
	const extendId = resultButtonId(posted, 'extend');
	const press = harness.discord.pressButton({ messageId: posted.id, customId: extendId, ...presser });
	await harness.discord.waitFor(() => press.callbacks()[0]);
	return harness.discord.submitModal({
		customId: extendId.replace(':extend:', ':extend-prompt:'),
		fields: { prompt },
		messageId: posted.id,
		...presser,
	});
}
