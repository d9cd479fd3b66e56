import { UserError } from '../../domain/errors.js';
import type { SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { QuotaService } from '../quota-service.js';
import { requireCreditAmount } from './credit-amount.js';

export function createQuotaMemberHandler(quotas: QuotaService): SubcommandHandler {
	return {
		ephemeral: true,
		adminChange: true,
		async execute({ interaction, guildId, t }) {
			requireManageServer(interaction);
			const userId = interaction.options.getUser('user', true).id;
			const credits = interaction.options.getInteger('credits');
			const clear = interaction.options.getBoolean('clear');
			let content: string;
			if (credits !== null && clear === null) {
				const amount = requireCreditAmount(credits, 'credits');
				const period = await quotas.setMemberLimit(guildId, userId, amount);
				content = t('quota.member.set', { userId, credits: amount, period: t(`quota.period.${period}`) });
			} else if (credits === null && clear === true) {
				const cleared = await quotas.clearMemberLimit(guildId, userId);
				content = t(cleared ? 'quota.member.cleared' : 'quota.member.hadNone', { userId });
			} else {
				throw new UserError('quota.memberNeedsOne');
			}
			await interaction.editReply({ content, allowedMentions: { parse: [] } });
		},
	};
}
