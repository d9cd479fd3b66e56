import type { APIDMChannel, APIGuildMember, APIRole, APITextChannel, APIUser, Locale } from 'discord.js';
import {
	discordTimestamp,
	makeDmChannel,
	makeMember,
	makeRole,
	makeTextChannel,
	makeUser,
	type UserSeed,
} from './api-objects.js';
import { botRolePermissions, ordinaryMemberPermissions, postingPermissions } from './permissions.js';
import { nextSnowflake } from './snowflake.js';

export interface GuildSeed {
	id: string;
	name?: string;
	ownerId?: string;
	preferredLocale?: string;
	channels?: Array<{ id: string; name?: string; type?: number }>;
}

export interface GuildRecord {
	id: string;
	name: string;
	ownerId: string;
	preferredLocale: Locale;
	joinedAt: string;
	roles: APIRole[];
	channelIds: string[];
	members: Map<string, APIGuildMember>;
}

export type StandInChannel = APITextChannel | APIDMChannel;

/** Guilds, channels, users and members the stand-in knows. */
export class DiscordWorld {
	private readonly guilds = new Map<string, GuildRecord>();
	private readonly channels = new Map<string, StandInChannel>();
	private readonly users = new Map<string, APIUser>();
	private readonly dmChannelIdByUser = new Map<string, string>();

	constructor(
		readonly botUser: APIUser,
		guildSeeds: GuildSeed[],
	) {
		this.users.set(botUser.id, botUser);
		for (const seed of guildSeeds) this.addGuild(seed);
	}

	guildList(): GuildRecord[] {
		return [...this.guilds.values()];
	}

	guild(id: string): GuildRecord | undefined {
		return this.guilds.get(id);
	}

	channel(id: string): StandInChannel | undefined {
		return this.channels.get(id);
	}

	guildChannels(guild: GuildRecord): APITextChannel[] {
		return guild.channelIds
			.map((id) => this.channels.get(id))
			.filter((channel) => channel !== undefined) as APITextChannel[];
	}

	user(id: string): APIUser | undefined {
		return this.users.get(id);
	}

	rememberUser(seed: UserSeed): APIUser {
		const known = this.users.get(seed.id);
		const user = known && seed.username === undefined ? known : makeUser({ ...known, ...seed });
		this.users.set(user.id, user);
		return user;
	}

	/** `roleIds`, when given, become the member's roles, as if an admin had just assigned them. */
	ensureMember(guild: GuildRecord, user: APIUser, roleIds?: readonly string[]): APIGuildMember {
		const known = guild.members.get(user.id) ?? makeMember(user, [], discordTimestamp());
		const unknownRole = roleIds?.find((id) => id === guild.id || !guild.roles.some((role) => role.id === id));
		if (unknownRole !== undefined) {
			throw new Error(`Guild ${guild.id} has no role ${unknownRole} a member can be given (see createRole)`);
		}
		const member = { ...known, user, ...(roleIds === undefined ? {} : { roles: [...roleIds] }) };
		guild.members.set(user.id, member);
		return member;
	}

	/** A new role with no permissions of its own; returned so it can be announced. */
	addRole(guildId: string, name: string): APIRole {
		const guild = this.guilds.get(guildId);
		if (!guild) throw new Error(`The stand-in has no guild ${guildId}`);
		const position = Math.max(...guild.roles.map((role) => role.position)) + 1;
		const role = makeRole({ id: nextSnowflake(), name, permissions: 0n, position });
		guild.roles.push(role);
		return role;
	}

	dmChannelFor(user: APIUser): APIDMChannel {
		const knownId = this.dmChannelIdByUser.get(user.id);
		const known = knownId === undefined ? undefined : this.channels.get(knownId);
		if (known && 'recipients' in known) return known;
		const channel = makeDmChannel(nextSnowflake(), user);
		this.channels.set(channel.id, channel);
		this.dmChannelIdByUser.set(user.id, channel.id);
		return channel;
	}

	dmRecipientOf(channelId: string): string | undefined {
		const channel = this.channels.get(channelId);
		return channel && 'recipients' in channel ? channel.recipients?.[0]?.id : undefined;
	}

	botPermissionsIn(channelId: string): bigint {
		const channel = this.channels.get(channelId);
		if (!channel || !('guild_id' in channel)) return botRolePermissions;
		const overwrite = channel.permission_overwrites?.find((entry) => entry.id === this.botUser.id);
		const base = botRolePermissions | ordinaryMemberPermissions;
		return overwrite ? (base & ~BigInt(overwrite.deny)) | BigInt(overwrite.allow) : base;
	}

	/** Returns the updated channel so the change can be announced over the gateway. */
	denyBotPosting(channelId: string): APITextChannel {
		const channel = this.channels.get(channelId);
		if (!channel || !('guild_id' in channel))
			throw new Error(`denyChannelPermission: ${channelId} is not a guild channel`);
		const others = (channel.permission_overwrites ?? []).filter((entry) => entry.id !== this.botUser.id);
		const updated: APITextChannel = {
			...channel,
			permission_overwrites: [
				...others,
				{ id: this.botUser.id, type: 1, allow: '0', deny: postingPermissions.toString() },
			],
		};
		this.channels.set(channelId, updated);
		return updated;
	}

	private addGuild(seed: GuildSeed): void {
		const ownerId = seed.ownerId ?? nextSnowflake();
		const botRoleId = nextSnowflake();
		const guild: GuildRecord = {
			id: seed.id,
			name: seed.name ?? 'Stand-in Server',
			ownerId,
			preferredLocale: (seed.preferredLocale ?? 'en-US') as Locale,
			joinedAt: discordTimestamp(),
			roles: [
				makeRole({ id: seed.id, name: '@everyone', permissions: ordinaryMemberPermissions, position: 0 }),
				makeRole({
					id: botRoleId,
					name: this.botUser.username,
					permissions: botRolePermissions,
					position: 1,
					botId: this.botUser.id,
				}),
			],
			channelIds: [],
			members: new Map(),
		};
		guild.members.set(this.botUser.id, makeMember(this.botUser, [botRoleId], guild.joinedAt));
		const channelSeeds = seed.channels ?? [{ id: nextSnowflake(), name: 'general' }];
		for (const [position, channelSeed] of channelSeeds.entries()) {
			const channel = makeTextChannel({
				id: channelSeed.id,
				guildId: guild.id,
				name: channelSeed.name ?? 'general',
				position,
			});
			// Other channel types are only used to test that the bot refuses them.
			if (channelSeed.type !== undefined) Object.assign(channel, { type: channelSeed.type });
			this.channels.set(channel.id, channel);
			guild.channelIds.push(channel.id);
		}
		this.guilds.set(guild.id, guild);
	}
}
