import type {
	APIGuild,
	ApplicationFlags,
	GatewayGuildCreateDispatchData,
	GatewayReadyDispatchData,
	GuildSystemChannelFlags,
} from 'discord.js';
import { receivesGuild, type ShardPair } from './shards.js';
import type { DiscordWorld, GuildRecord } from './world.js';

/** The guilds whose events go to this shard: the ones its READY lists and its GUILD_CREATEs describe. */
export function guildsOfShard(world: DiscordWorld, shard: ShardPair): GuildRecord[] {
	return world.guildList().filter((guild) => receivesGuild(shard, guild.id));
}

export function guildObject(guild: GuildRecord): APIGuild {
	return {
		id: guild.id,
		name: guild.name,
		icon: null,
		splash: null,
		discovery_splash: null,
		banner: null,
		description: null,
		owner_id: guild.ownerId,
		afk_channel_id: null,
		afk_timeout: 300,
		verification_level: 0,
		default_message_notifications: 0,
		explicit_content_filter: 0,
		roles: guild.roles,
		emojis: [],
		stickers: [],
		features: [],
		mfa_level: 0,
		application_id: null,
		system_channel_id: guild.channelIds[0] ?? null,
		system_channel_flags: 0 as GuildSystemChannelFlags,
		rules_channel_id: null,
		max_members: 500_000,
		vanity_url_code: null,
		premium_tier: 0,
		premium_subscription_count: 0,
		preferred_locale: guild.preferredLocale,
		public_updates_channel_id: null,
		nsfw_level: 0,
		premium_progress_bar_enabled: false,
		hub_type: null,
		safety_alerts_channel_id: null,
		incidents_data: null,
	};
}

export function guildCreatePayload(world: DiscordWorld, guild: GuildRecord): GatewayGuildCreateDispatchData {
	return {
		...guildObject(guild),
		joined_at: guild.joinedAt,
		large: false,
		unavailable: false,
		member_count: Math.max(guild.members.size, 2),
		voice_states: [],
		members: [...guild.members.values()],
		channels: world.guildChannels(guild),
		threads: [],
		presences: [],
		stage_instances: [],
		guild_scheduled_events: [],
		soundboard_sounds: [],
	};
}

export function readyPayload(
	world: DiscordWorld,
	session: { sessionId: string; resumeUrl: string; applicationId: string; shard: ShardPair },
): GatewayReadyDispatchData {
	return {
		v: 10,
		user: { ...world.botUser, verified: true, mfa_enabled: false },
		guilds: guildsOfShard(world, session.shard).map((guild) => ({ id: guild.id, unavailable: true })),
		session_id: session.sessionId,
		resume_gateway_url: session.resumeUrl,
		shard: [...session.shard],
		application: { id: session.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
	};
}
