import { type ChatInputCommandInteraction, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../domain/errors.js';

/**
 * `/quota` is registered for Manage Server, but a server can grant it to other roles under Integrations and a
 * client can send anything, so the bot checks the permission itself.
 */
export function requireManageServer(interaction: ChatInputCommandInteraction): void {
	if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
		throw new UserError('quota.needsManageServer');
	}
}
