import { EmbedBuilder, TimestampStyles, time } from 'discord.js';
import { cut, fitEmbeds, MESSAGE_LIMITS } from '../../discord/message-limits.js';
import type { MessageParams } from '../../i18n/index.js';
import type { CommandContext, SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { QuotaService } from '../quota-service.js';
import type { QuotaSummary } from '../quota-summary.js';

export function createQuotaShowHandler(quotas: QuotaService): SubcommandHandler {
	return {
		ephemeral: true,
		async execute({ interaction, guildId, t }) {
			requireManageServer(interaction);
			const summary = await quotas.summary(guildId);
			const { server, monthlyCap, running } = summary;
			const period = t(`quota.period.${summary.period}`);
			const overrides = summary.membersWithOwnLimit;
			const embed = new EmbedBuilder().setTitle(t('quota.show.title')).addFields(
				{
					name: t('quota.show.serverLimit'),
					value: t(server.setByAdmins ? 'quota.show.setByAdmins' : 'quota.show.operatorDefault', {
						credits: server.limit,
						period,
					}),
				},
				{
					name: t('quota.show.thisPeriod', { period }),
					value: t('quota.periodUsage', {
						used: server.used,
						limit: server.limit,
						left: server.left,
						resetsAt: time(summary.periodWindow.end, TimestampStyles.RelativeTime),
					}),
				},
				{
					name: t('quota.show.perMember'),
					value:
						summary.defaultMemberLimit === null
							? t('quota.show.perMemberNone', { overrides })
							: t('quota.show.perMemberLimit', { credits: summary.defaultMemberLimit, period, overrides }),
				},
				{ name: t('quota.show.roles'), value: cut(roleAllowanceList(summary, period, t), MESSAGE_LIMITS.fieldValue) },
			);
			if (monthlyCap.limit !== null) {
				embed.addFields({
					name: t('quota.show.monthlyCap'),
					value: t('quota.capUsage', {
						used: monthlyCap.used,
						cap: monthlyCap.limit,
						resetsAt: time(summary.monthWindow.end, TimestampStyles.RelativeTime),
					}),
				});
			}
			if (summary.unknownThisMonth > 0) {
				embed.addFields({
					name: t('quota.show.unknown'),
					value: t('quota.show.unknownValue', { credits: summary.unknownThisMonth }),
				});
			}
			embed.addFields(
				{ name: t('quota.show.running'), value: t('quota.show.runningValue', running) },
				{ name: t('quota.show.line'), value: cut(lineList(summary, t), MESSAGE_LIMITS.fieldValue) },
				{
					name: t('quota.show.heaviest', { period }),
					value: cut(heaviestUsersList(summary, t), MESSAGE_LIMITS.fieldValue),
				},
			);
			await interaction.editReply({ embeds: fitEmbeds([embed.toJSON()]), allowedMentions: { parse: [] } });
		},
	};
}

// An embed field holds 1024 characters; a line is at most about 60.
const ROLE_ALLOWANCES_SHOWN = 15;

function roleAllowanceList({ roleAllowances }: QuotaSummary, period: string, t: CommandContext['t']): string {
	if (roleAllowances.length === 0) return t('quota.show.rolesNone');
	const lines = roleAllowances
		.slice(0, ROLE_ALLOWANCES_SHOWN)
		.map(({ roleId, credits }) => t('quota.show.roleLine', { roleId, credits, period }));
	const hidden = roleAllowances.length - ROLE_ALLOWANCES_SHOWN;
	if (hidden > 0) lines.push(t('quota.show.rolesMore', { count: hidden }));
	return lines.join('\n');
}

function lineList({ line }: QuotaSummary, t: CommandContext['t']): string {
	if (line.oldestSince === undefined) return t('quota.show.lineEmpty');
	const since = time(new Date(line.oldestSince), TimestampStyles.RelativeTime);
	const heading = t('quota.show.lineValue', { count: line.waiting, limit: line.limitPerMember, since });
	const members = line.members.map(({ userId, waiting }) => t('quota.show.lineMember', { userId, count: waiting }));
	return [heading, ...members].join('\n');
}

function heaviestUsersList({ heaviestUsers }: QuotaSummary, t: CommandContext['t']): string {
	if (heaviestUsers.length === 0) return t('quota.show.nobodyYet');
	return heaviestUsers
		.map(({ userId, used, limit }, index) => {
			const line: MessageParams = { rank: index + 1, userId, used };
			return limit === null
				? t('quota.show.heaviestUnlimited', line)
				: t('quota.show.heaviestLimited', { ...line, limit });
		})
		.join('\n');
}
