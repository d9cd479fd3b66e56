import { randomBytes } from 'node:crypto';
import type { APIUser } from 'discord.js';
import { ApplicationIntegrationType, InteractionContextType, type InteractionType, type Locale } from 'discord.js';
import { ordinaryMemberPermissions } from './permissions.js';
import { nextSnowflake } from './snowflake.js';
import type { StandInState } from './stand-in-state.js';
import type { GuildRecord, StandInChannel } from './world.js';

export interface InteractionActor {
	user: APIUser;
	channel: StandInChannel;
	guild: GuildRecord | undefined;
	locale?: string | undefined;
	guildLocale?: string | undefined;
	memberPermissions?: string | undefined;
	roleIds?: string[] | undefined;
	attachmentSizeLimit: number;
	createdAgoMs: number;
}

export const defaultAttachmentSizeLimit = 10 * 1024 * 1024;

function interactionToken(id: string): string {
	return Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
}

/** The fields every interaction carries, shaped by where it happens (server or DM). */
export function interactionBase(state: StandInState, type: InteractionType, actor: InteractionActor) {
	const id = nextSnowflake(Date.now() - actor.createdAgoMs);
	const common = {
		id,
		application_id: state.applicationId,
		type,
		token: interactionToken(id),
		version: 1 as const,
		channel: actor.channel,
		channel_id: actor.channel.id,
		locale: (actor.locale ?? 'en-US') as Locale,
		app_permissions: state.world.botPermissionsIn(actor.channel.id).toString(),
		entitlements: [],
		attachment_size_limit: actor.attachmentSizeLimit,
	};
	const { guild } = actor;
	if (!guild) {
		return {
			...common,
			user: actor.user,
			context: InteractionContextType.BotDM,
			// Discord's documented value for a server-installed app used in the bot's DM.
			authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' as const },
		};
	}
	const member = state.world.ensureMember(guild, actor.user, actor.roleIds);
	return {
		...common,
		guild_id: guild.id,
		guild: { id: guild.id, locale: guild.preferredLocale, features: [] },
		guild_locale: (actor.guildLocale ?? guild.preferredLocale) as Locale,
		member: { ...member, permissions: actor.memberPermissions ?? ordinaryMemberPermissions.toString() },
		context: InteractionContextType.Guild,
		authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
	};
}
