import { UserError } from '../../domain/errors.js';
import { QUOTA_PERIODS, type QuotaPeriod } from '../../domain/quota.js';
import type { SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { ServerLimitInput } from '../limits/quota-settings.js';
import type { QuotaService } from '../quota-service.js';
import { requireCreditAmount } from './credit-amount.js';

export function createQuotaSetHandler(quotas: QuotaService): SubcommandHandler {
	return {
		ephemeral: true,
		adminChange: true,
		async execute({ interaction, guildId, t }) {
			requireManageServer(interaction);
			const credits = requireCreditAmount(interaction.options.getInteger('credits', true), 'credits');
			const period = requirePeriod(interaction.options.getString('period', true));
			const perUser = interaction.options.getInteger('per_user');
			const limit: ServerLimitInput =
				perUser === null ? { credits, period } : { credits, period, perUser: requireCreditAmount(perUser, 'per_user') };
			const saved = await quotas.setServerLimit(guildId, limit);
			const periodName = t(`quota.period.${period}`);
			const lines = [
				t('quota.set.saved', { credits, period: periodName }),
				saved.defaultMemberLimit === null
					? t('quota.set.noMemberDefault')
					: t('quota.set.memberDefault', { credits: saved.defaultMemberLimit, period: periodName }),
			];
			if (saved.bindingMonthlyCap !== null) lines.push(t('quota.set.capApplies', { cap: saved.bindingMonthlyCap }));
			await interaction.editReply({ content: lines.join('\n') });
		},
	};
}

// Discord offers only the choices, but a client can send anything.
function requirePeriod(value: string): QuotaPeriod {
	const period = QUOTA_PERIODS.find((known) => known === value);
	if (!period) throw new UserError('input.choiceInvalid', { value, option: 'period' });
	return period;
}
