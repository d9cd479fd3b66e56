import type { SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { QuotaService } from '../quota-service.js';

export function createQuotaResetHandler(quotas: QuotaService): SubcommandHandler {
	return {
		ephemeral: true,
		adminChange: true,
		async execute({ interaction, guildId, t }) {
			requireManageServer(interaction);
			const userId = interaction.options.getUser('user')?.id;
			const reset = await quotas.resetUsage(guildId, userId);
			const period = t(`quota.period.${reset.period}`);
			const lines = [userId ? t('quota.reset.member', { period, userId }) : t('quota.reset.server', { period })];
			if (reset.stillHeld > 0) lines.push(t('quota.reset.stillHeld', { credits: reset.stillHeld }));
			if (reset.monthlyCap !== null) lines.push(t('quota.reset.capUnchanged'));
			await interaction.editReply({ content: lines.join('\n'), allowedMentions: { parse: [] } });
		},
	};
}
