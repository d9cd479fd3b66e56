import { type Client, PermissionFlagsBits } from 'discord.js';

const NEEDED_TO_POST = [
	PermissionFlagsBits.ViewChannel,
	PermissionFlagsBits.SendMessages,
	PermissionFlagsBits.AttachFiles,
	PermissionFlagsBits.EmbedLinks,
];
const NEEDED_TO_SEND_TEXT = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages];

/**
 * Whether the bot may post its own messages in a channel, from the gateway's cached roles and overwrites. Asking
 * first avoids a refused request per job; an unknown channel is tried anyway, and a refusal still falls back.
 */
export class ChannelAccess {
	constructor(private readonly client: Client) {}

	/** Videos, with their files and embeds. */
	canPost(channelId: string): boolean {
		return this.#allows(channelId, NEEDED_TO_POST);
	}

	/** Plain text messages, such as a log's lines. */
	canSendText(channelId: string): boolean {
		return this.#allows(channelId, NEEDED_TO_SEND_TEXT);
	}

	/** Undefined before the client is logged in. */
	botUserId(): string | undefined {
		return this.client.user?.id;
	}

	#allows(channelId: string, needed: bigint[]): boolean {
		const channel = this.client.channels.cache.get(channelId);
		const me = this.client.user;
		if (!channel || !me || !('permissionsFor' in channel)) return true;
		return channel.permissionsFor(me)?.has(needed) ?? true;
	}
}
