import type { DiscordMessenger } from '../../discord/messenger.js';
import type { Clock } from '../../domain/clock.js';
import { UserError } from '../../domain/errors.js';
import type { CommandContext, SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { ModerationLog } from '../log/moderation-log.js';
import type { ModerationRecords } from '../moderation-records.js';
import type { LogChannel } from '../moderation-settings.js';
import { LOG_CHANNEL_TYPES } from './definition.js';

export interface LogCommandDeps {
	records: ModerationRecords;
	log: Pick<ModerationLog, 'turnedOff'>;
	messenger: Pick<DiscordMessenger, 'canSendTextIn'>;
	now: Clock;
}

/**
 * `/moderation log [channel]`. The channel must be a text channel of this very server as the bot knows it (a client
 * can send any id, and another server's channel would leak this one's log), where the bot may send messages.
 */
export function createModerationLogHandler({ records, log, messenger, now }: LogCommandDeps): SubcommandHandler {
	async function turnOff({ interaction, guildId, t }: CommandContext): Promise<void> {
		let previous: LogChannel | undefined;
		await records.update(guildId, (current) => {
			previous = current.log;
			if (!previous) return undefined;
			const { log: _off, ...rest } = current;
			return rest;
		});
		if (previous) log.turnedOff(guildId, previous, interaction.user.id);
		const content = previous ? t('moderation.log.off', { channelId: previous.channelId }) : t('moderation.log.wasOff');
		await interaction.editReply({ content });
	}

	return {
		ephemeral: true,
		adminChange: true,
		async execute(context) {
			const { interaction, guildId, locale, t } = context;
			requireManageServer(interaction);
			const chosen = interaction.options.getChannel('channel');
			if (!chosen) return turnOff(context);
			const channel = interaction.guild?.channels.cache.get(chosen.id);
			if (!channel || !LOG_CHANNEL_TYPES.some((type) => type === channel.type)) {
				throw new UserError('moderation.log.notText', { channelId: chosen.id });
			}
			if (!messenger.canSendTextIn(channel.id)) {
				throw new UserError('moderation.log.cannotPost', { channelId: channel.id });
			}
			const setting: LogChannel = { channelId: channel.id, setBy: interaction.user.id, locale, setAt: now() };
			await records.update(guildId, (current) => ({ ...current, log: setting }));
			await interaction.editReply({ content: t('moderation.log.set', { channelId: channel.id }) });
		},
	};
}
