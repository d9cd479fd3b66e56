import {
	type APIDMChannel,
	type APIGuildMember,
	type APIRole,
	type APITextChannel,
	type APIUser,
	type ChannelFlags,
	ChannelType,
	type GuildMemberFlags,
	type RoleFlags,
	type UserFlags,
} from 'discord.js';

export interface UserSeed {
	id: string;
	username?: string;
}

export function discordTimestamp(date = new Date()): string {
	return date.toISOString().replace('Z', '+00:00');
}

export function makeUser(seed: UserSeed, bot = false): APIUser {
	const username = seed.username ?? `user${seed.id.slice(-4)}`;
	return {
		id: seed.id,
		username,
		global_name: bot ? null : username,
		discriminator: bot ? '0001' : '0',
		avatar: null,
		public_flags: 0 as UserFlags,
		flags: 0 as UserFlags,
		banner: null,
		accent_color: null,
		avatar_decoration_data: null,
		collectibles: null,
		primary_guild: null,
		...(bot ? { bot: true } : {}),
	};
}

export function makeRole(role: {
	id: string;
	name: string;
	permissions: bigint;
	position: number;
	botId?: string;
}): APIRole {
	return {
		id: role.id,
		name: role.name,
		color: 0,
		colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
		hoist: false,
		icon: null,
		unicode_emoji: null,
		position: role.position,
		permissions: role.permissions.toString(),
		managed: role.botId !== undefined,
		mentionable: false,
		flags: 0 as RoleFlags,
		...(role.botId === undefined ? {} : { tags: { bot_id: role.botId } }),
	};
}

export function makeMember(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
	return {
		user,
		nick: null,
		avatar: null,
		banner: null,
		roles,
		joined_at: joinedAt,
		premium_since: null,
		deaf: false,
		mute: false,
		flags: 0 as GuildMemberFlags,
		pending: false,
		communication_disabled_until: null,
	};
}

export function makeTextChannel(channel: {
	id: string;
	guildId: string;
	name: string;
	position: number;
}): APITextChannel {
	return {
		id: channel.id,
		type: ChannelType.GuildText,
		guild_id: channel.guildId,
		name: channel.name,
		position: channel.position,
		permission_overwrites: [],
		topic: null,
		nsfw: false,
		last_message_id: null,
		rate_limit_per_user: 0,
		parent_id: null,
		last_pin_timestamp: null,
		flags: 0 as ChannelFlags,
	};
}

export function makeDmChannel(id: string, recipient: APIUser): APIDMChannel {
	return {
		id,
		type: ChannelType.DM,
		name: null,
		recipients: [recipient],
		last_message_id: null,
		last_pin_timestamp: null,
		flags: 0 as ChannelFlags,
	};
}
