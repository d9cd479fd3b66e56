import { EmbedBuilder, TimestampStyles, time } from 'discord.js';
import { fitEmbeds } from '../../discord/message-limits.js';
import type { SubcommandHandler } from '../../interactions/context.js';
import type { QuotaService } from '../quota-service.js';

export function createVideoUsageHandler(quotas: QuotaService): SubcommandHandler {
	return {
		ephemeral: true,
		async execute({ interaction, guildId, t }) {
			const standing = await quotas.usage({ guildId, userId: interaction.user.id });
			const { member, server, monthlyCap, memberRunning, memberWaiting, running } = standing;
			const period = t(`quota.period.${standing.period}`);
			const resetsAt = time(standing.periodWindow.end, TimestampStyles.RelativeTime);
			const embed = new EmbedBuilder()
				.setTitle(t('usage.title'))
				.setDescription(t('usage.available', { available: standing.available, period, resetsAt }))
				.addFields({
					name: t('usage.you'),
					value:
						member.limit === null || member.left === null
							? t('usage.youUnlimited', { used: member.used })
							: t('quota.usedOfLimit', { used: member.used, limit: member.limit, left: member.left }),
				})
				.addFields({
					name: t('usage.server'),
					value: t('quota.usedOfLimit', { used: server.used, limit: server.limit, left: server.left }),
				});
			if (monthlyCap.limit !== null) {
				embed.addFields({
					name: t('usage.monthlyCap'),
					value: t('quota.capUsage', {
						used: monthlyCap.used,
						cap: monthlyCap.limit,
						resetsAt: time(standing.monthWindow.end, TimestampStyles.RelativeTime),
					}),
				});
			}
			embed.addFields({
				name: t('usage.running'),
				value: t('usage.runningValue', {
					member: memberRunning.count,
					memberLimit: memberRunning.limit,
					server: running.count,
					serverLimit: running.limit,
				}),
			});
			if (memberWaiting.count > 0) {
				embed.addFields({ name: t('usage.waiting'), value: t('usage.waitingValue', memberWaiting) });
			}
			await interaction.editReply({ embeds: fitEmbeds([embed.toJSON()]) });
		},
	};
}
