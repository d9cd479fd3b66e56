import type { BaseInteraction } from 'discord.js';

/**
 * The role ids Discord sent with the interaction's member, with no privileged intent needed. discord.js hands a
 * cached member's roles with @everyone (the server's id) added; Discord itself never lists @everyone, so neither do we.
 */
export function memberRoleIds(interaction: BaseInteraction): string[] {
	const roles = interaction.member?.roles;
	if (!roles) return [];
	const ids = Array.isArray(roles) ? roles : [...roles.cache.keys()];
	return ids.filter((id) => id !== interaction.guildId);
}
