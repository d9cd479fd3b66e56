import { type ChatInputCommandInteraction, PermissionFlagsBits } from 'discord.js';
import { UserError } from '../domain/errors.js';

/**
 * Admin commands (`/quota`, `/moderation`) are registered for Manage Server, but a server can grant them to other
 * roles under Integrations and a client can send anything, so the bot checks the permission itself.
 */
export function requireManageServer(interaction: ChatInputCommandInteraction): void {
	if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
		throw new UserError('error.needsManageServer', { command: interaction.commandName });
	}
}
