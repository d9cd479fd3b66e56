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
		if (!(await this.mayRunVideo(interaction, interaction.channelId ?? job.channelId))) {
			throw new UserError('button.noVideoCommand');
		}
	}

	/** Whether Discord would let this member run `/video` in the channel; a message menu spends as `/video` does too. */
	async mayRunVideo(
		interaction: ButtonInteraction<'cached' | 'raw'> | ModalSubmitInteraction<'cached' | 'raw'>,
		channelId: string,
	) {
		if (!interaction.memberPermissions.has(PermissionFlagsBits.UseApplicationCommands)) return false;
		const user = {
			guildId: interaction.guildId,
			channelId,
			userId: interaction.user.id,
			roleIds: memberRoleIds(interaction),
		};
		return this.commands.allows('video', user);
	}
}
