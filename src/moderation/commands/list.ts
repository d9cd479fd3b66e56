import { EmbedBuilder, TimestampStyles, time } from 'discord.js';
import { fitEmbeds, length, MESSAGE_LIMITS } from '../../discord/message-limits.js';
import type { CommandContext, SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { Blocklists } from '../blocklists.js';
import type { ModerationRecords } from '../moderation-records.js';
import type { LogChannel } from '../moderation-settings.js';
import { shownTerm } from './shown-term.js';

const SEPARATOR = ' · ';
/** Room left in the description for the "…and N more" line. */
const TERMS_ROOM = MESSAGE_LIMITS.embedDescription - 100;

function termsText(terms: readonly string[], t: CommandContext['t']): string {
	if (terms.length === 0) return t('moderation.list.noTerms');
	const shown: string[] = [];
	let size = 0;
	for (const term of terms) {
		const text = shownTerm(term);
		size += length(text) + SEPARATOR.length;
		if (size > TERMS_ROOM) break;
		shown.push(text);
	}
	const more = terms.length - shown.length;
	return more > 0 ? `${shown.join(SEPARATOR)}\n${t('moderation.list.more', { count: more })}` : shown.join(SEPARATOR);
}

function logText(log: LogChannel | undefined, t: CommandContext['t']): string {
	if (!log) return t('moderation.list.logOff');
	if (log.stopped) {
		return t('moderation.list.logStopped', {
			channelId: log.channelId,
			when: time(Math.floor(log.stopped.at / 1000), TimestampStyles.RelativeTime),
			reason: t(`moderation.stopReason.${log.stopped.reason}`),
		});
	}
	const when = time(Math.floor(log.setAt / 1000), TimestampStyles.RelativeTime);
	return t('moderation.list.logOn', { channelId: log.channelId, userId: log.setBy, when });
}

/** `/moderation list`: the server's terms, how many the operator blocks (never which), and where the log goes. */
export function createModerationListHandler(records: ModerationRecords, blocklists: Blocklists): SubcommandHandler {
	return {
		ephemeral: true,
		async execute({ interaction, guildId, t }) {
			requireManageServer(interaction);
			const { terms, log } = await records.get(guildId);
			const embed = new EmbedBuilder()
				.setTitle(t('moderation.list.title'))
				.setDescription(`**${t('moderation.list.terms', { count: terms.length })}**\n${termsText(terms, t)}`)
				.addFields(
					{
						name: t('moderation.list.operator'),
						value: t('moderation.list.operatorCount', { count: blocklists.operatorTermCount }),
					},
					{ name: t('moderation.list.log'), value: logText(log, t) },
				);
			await interaction.editReply({ embeds: fitEmbeds([embed.toJSON()]), allowedMentions: { parse: [] } });
		},
	};
}
