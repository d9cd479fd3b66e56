import { EmbedBuilder, TimestampStyles, time } from 'discord.js';
import { fitEmbeds } from '../../discord/message-limits.js';
import type { CommandContext, SubcommandHandler } from '../../interactions/context.js';
import { memberRoleIds } from '../../interactions/member-role-ids.js';
import type { MemberLimitSource } from '../limits/quota-settings.js';
import type { QuotaService } from '../quota-service.js';

/** Says whose setting the member's limit is, so they know whom to ask for more. */
function limitSource(source: MemberLimitSource, t: CommandContext['t']): string | undefined {
	switch (source.kind) {
		case 'own':
			return t('usage.source.own');
		case 'role':
			return t('usage.source.role', { roleId: source.roleId });
		case 'per-user':
			return t('usage.source.perUser');
		case 'operator':
			return t('usage.source.operator');
		case 'none':
			return undefined;
	}
}

export function createVideoUsageHandler(quotas: QuotaService): SubcommandHandler {
	return {
		ephemeral: true,
		async execute({ interaction, guildId, t }) {
			const standing = await quotas.usage({
				guildId,
				userId: interaction.user.id,
				roleIds: memberRoleIds(interaction),
			});
			const source = limitSource(standing.memberLimitSource, t);
			const { member, server, monthlyCap, memberRunning, memberWaiting, running } = standing;
			const period = t(`quota.period.${standing.period}`);
			const resetsAt = time(standing.periodWindow.end, TimestampStyles.RelativeTime);
			const embed = new EmbedBuilder()
				.setTitle(t('usage.title'))
				.setDescription(t('usage.available', { available: standing.available, period, resetsAt }))
				.addFields({
					name: t('usage.you'),
					value: [
						member.limit === null || member.left === null
							? t('usage.youUnlimited', { used: member.used })
							: t('quota.usedOfLimit', { used: member.used, limit: member.limit, left: member.left }),
						...(source === undefined ? [] : [source]),
					].join('\n'),
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
			await interaction.editReply({ embeds: fitEmbeds([embed.toJSON()]), allowedMentions: { parse: [] } });
		},
	};
}
