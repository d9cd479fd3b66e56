import { PermissionFlagsBits } from 'discord.js';
import { UserError } from '../../domain/errors.js';
import type { JobLine } from '../jobs/job-line.js';
import type { ButtonHandler } from './component-context.js';

/**
 * Cancel, on a job waiting in line: the requester, or anyone allowed to manage messages in the channel (Discord sends
 * the member's permissions there, overwrites included). Of a press and the job's turn coming, the job store lets
 * exactly one through.
 */
export function createCancelButton(line: Pick<JobLine, 'cancel'>): ButtonHandler {
	return {
		defer: 'ephemeral',
		access: 'job-server',
		async execute({ interaction, job, t }) {
			const isRequester = interaction.user.id === job.userId;
			const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
			if (!isRequester && !canManage) throw new UserError('button.cancelRefused');
			const cancelled = job.state === 'in_line' ? await line.cancel(job, !isRequester) : undefined;
			if (!cancelled) throw new UserError('button.cancelTooLate');
			await interaction.editReply({ content: t('button.cancelDone', { credits: cancelled.cost }) });
		},
	};
}
