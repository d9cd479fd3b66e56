import { PermissionFlagsBits } from 'discord.js';
import type { DiscordMessenger } from '../../discord/messenger.js';
import { UserError } from '../../domain/errors.js';
import type { ButtonHandler } from './component-context.js';

/** Delete: the requester, or anyone allowed to manage messages in the channel; everyone else is refused privately. */
export function createDeleteButton(messenger: DiscordMessenger): ButtonHandler {
	return {
		defer: 'ephemeral',
		access: 'anywhere',
		async execute({ interaction, job, t }) {
			const isRequester = interaction.user.id === job.userId;
			const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
			if (!isRequester && !canManage) throw new UserError('button.deleteRefused');
			await messenger.deleteChannelMessage(interaction.message.channelId, interaction.message.id);
			await interaction.editReply({ content: t('button.deleted') });
		},
	};
}
