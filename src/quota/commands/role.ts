import { UserError } from '../../domain/errors.js';
import type { SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { QuotaService } from '../quota-service.js';
import { requireCreditAmount } from './credit-amount.js';

export function createQuotaRoleHandler(quotas: QuotaService): SubcommandHandler {
	return {
		ephemeral: true,
		adminChange: true,
		async execute({ interaction, guildId, t }) {
			requireManageServer(interaction);
			const roleId = interaction.options.getRole('role', true).id;
			// Discord never lists @everyone among a member's roles: what everyone gets is `per_user`.
			if (roleId === guildId) throw new UserError('quota.roleEveryone');
			const credits = interaction.options.getInteger('credits');
			const clear = interaction.options.getBoolean('clear');
			let content: string;
			if (credits !== null && clear === null) {
				const amount = requireCreditAmount(credits, 'credits');
				const period = await quotas.setRoleLimit(guildId, roleId, amount);
				content = t('quota.role.set', { roleId, credits: amount, period: t(`quota.period.${period}`) });
			} else if (credits === null && clear === true) {
				const cleared = await quotas.clearRoleLimit(guildId, roleId);
				content = t(cleared ? 'quota.role.cleared' : 'quota.role.hadNone', { roleId });
			} else {
				throw new UserError('quota.roleNeedsOne');
			}
			await interaction.editReply({ content, allowedMentions: { parse: [] } });
		},
	};
}
