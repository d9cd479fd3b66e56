import {
	type APIApplicationCommandPermission,
	APIApplicationCommandPermissionsConstant,
	ApplicationCommandPermissionType,
} from 'discord.js';

export interface CommandUser {
	guildId: string;
	channelId: string;
	userId: string;
	roleIds: readonly string[];
}

type Overwrites = readonly APIApplicationCommandPermission[];

/**
 * Discord's reading of the overwrites admins set under Server Settings → Integrations, most specific first: the
 * command's own overwrites before the application's; within each, this channel before all channels, and the member
 * before their roles before @everyone. A channel that is off stops the command whatever the member's overwrites say.
 * `levels` lists the command's overwrites, then the application's. No overwrite at all leaves the command usable.
 */
export function overwritesAllow(levels: readonly Overwrites[], user: CommandUser): boolean {
	const allChannels = APIApplicationCommandPermissionsConstant.AllChannels(user.guildId);
	const everyone = APIApplicationCommandPermissionsConstant.Everyone(user.guildId);
	const channel = firstDecision(
		levels,
		(level) =>
			decide(level, ApplicationCommandPermissionType.Channel, [user.channelId]) ??
			decide(level, ApplicationCommandPermissionType.Channel, [allChannels]),
	);
	if (channel === false) return false;
	const member = firstDecision(
		levels,
		(level) =>
			decide(level, ApplicationCommandPermissionType.User, [user.userId]) ??
			decide(level, ApplicationCommandPermissionType.Role, user.roleIds) ??
			decide(level, ApplicationCommandPermissionType.Role, [everyone]),
	);
	return member ?? true;
}

function firstDecision(levels: readonly Overwrites[], decideAt: (level: Overwrites) => boolean | undefined) {
	for (const level of levels) {
		const decision = decideAt(level);
		if (decision !== undefined) return decision;
	}
	return undefined;
}

/** Several matching roles: any one allowing the command is enough, as Discord grants permissions by any role. */
function decide(level: Overwrites, type: ApplicationCommandPermissionType, ids: readonly string[]) {
	const matching = level.filter((overwrite) => overwrite.type === type && ids.includes(overwrite.id));
	if (matching.length === 0) return undefined;
	return matching.some((overwrite) => overwrite.permission);
}
