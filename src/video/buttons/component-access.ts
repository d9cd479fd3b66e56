import { type ButtonInteraction, type ModalSubmitInteraction, PermissionFlagsBits } from 'discord.js';
import type { CommandPermissions } from '../../discord/command-permissions.js';
import { UserError } from '../../domain/errors.js';
import type { Job } from '../../domain/job.js';
import { memberRoleIds } from '../../interactions/member-role-ids.js';
import type { ComponentAccess } from './component-context.js';

/**
 * A button charges the job's server as `/video` would, so it acts only there, and only for a member Discord would
 * let run `/video` in that channel: Use Application Commands in the channel, and the command's overwrites.
 */
export class ComponentAccessCheck {
	constructor(private readonly commands: Pick<CommandPermissions, 'allows'>) {}

	async assert(access: ComponentAccess, interaction: ButtonInteraction | ModalSubmitInteraction, job: Job) {
		if (access === 'anywhere') return;
		if (!interaction.inGuild() || interaction.guildId !== job.guildId) throw new UserError('button.elsewhere');
		if (access === 'job-server') return;
		if (!interaction.memberPermissions.has(PermissionFlagsBits.UseApplicationCommands)) {
			throw new UserError('button.noVideoCommand');
		}
		const user = {
			guildId: interaction.guildId,
			channelId: interaction.channelId ?? job.channelId,
			userId: interaction.user.id,
			roleIds: memberRoleIds(interaction),
		};
		if (!(await this.commands.allows('video', user))) throw new UserError('button.noVideoCommand');
	}
}
