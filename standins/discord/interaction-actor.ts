import type { UserSeed } from './api-objects.js';
import { defaultAttachmentSizeLimit, type InteractionActor } from './interaction-base.js';
import type { StandInState } from './stand-in-state.js';

export interface ActorSpec {
	user?: UserSeed;
	guildId?: string;
	channelId?: string;
	locale?: string;
	guildLocale?: string;
	memberPermissions?: string;
	/** The member's roles from now on (ids from `createRole`); unchanged when not given. */
	roleIds?: string[];
	attachmentSizeLimit?: number;
	inDm?: boolean;
	/**
	 * How long ago Discord created the interaction, by its id: its token lives 15 minutes from then. Lets a test stand
	 * where a long render leaves the bot, with little of the token left, without waiting for it.
	 */
	createdAgoMs?: number;
}

/** Who triggers an interaction and where: a DM channel when `inDm` (or a DM channel id) is given, else a server channel. */
export function resolveActor(state: StandInState, spec: ActorSpec): InteractionActor {
	const user = state.world.rememberUser(spec.user ?? state.defaultUser);
	const base = {
		user,
		locale: spec.locale,
		guildLocale: spec.guildLocale,
		memberPermissions: spec.memberPermissions,
		roleIds: spec.roleIds,
		attachmentSizeLimit: spec.attachmentSizeLimit ?? defaultAttachmentSizeLimit,
		createdAgoMs: spec.createdAgoMs ?? 0,
	};
	if (spec.inDm) return { ...base, channel: state.world.dmChannelFor(user), guild: undefined };
	if (spec.channelId !== undefined) {
		const channel = state.world.channel(spec.channelId);
		if (!channel) throw new Error(`The stand-in has no channel ${spec.channelId}`);
		return { ...base, channel, guild: 'guild_id' in channel ? state.world.guild(channel.guild_id ?? '') : undefined };
	}
	const guild = state.world.guild(spec.guildId ?? state.defaultGuildId);
	const channel = guild && state.world.guildChannels(guild)[0];
	if (!guild || !channel) throw new Error(`The stand-in has no guild ${spec.guildId} with a channel`);
	return { ...base, channel, guild };
}
