import type { Interaction } from 'discord.js';
import { UserError } from '../../domain/errors.js';
import { type MessageKey, type MessageParams, resolveLocale, translate } from '../../i18n/index.js';
import { answerPrivately } from '../../interactions/private-answer.js';
import type { ComponentRouter } from '../../interactions/router.js';
import type { Logger } from '../../ops/logger.js';
import { ANIMATE_IMAGE_MENU, EXTEND_VIDEO_MENU } from './definition.js';
import { parseMenuCustomId } from './menu-custom-id.js';
import type { MenuMode } from './menu-target.js';
import type { createMenuOpener } from './open-menu.js';
import type { createMenuSubmit } from './submit-menu.js';

const MODE_BY_MENU: Readonly<Record<string, MenuMode>> = {
	[ANIMATE_IMAGE_MENU]: 'image',
	[EXTEND_VIDEO_MENU]: 'extend',
};

/** Right-click a message → Apps: the menu opens a prompt modal, and the modal's answer runs the job. */
export class MessageMenuRouter implements ComponentRouter {
	constructor(
		private readonly open: ReturnType<typeof createMenuOpener>,
		private readonly submit: ReturnType<typeof createMenuSubmit>,
		private readonly logger: Logger,
	) {}

	async handle(interaction: Interaction): Promise<boolean> {
		const locale = resolveLocale(interaction.locale);
		const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
		if (interaction.isMessageContextMenuCommand()) {
			const mode = MODE_BY_MENU[interaction.commandName];
			if (!mode) return false;
			await this.#answering(interaction, t, { menu: interaction.commandName }, async () => {
				if (!interaction.inGuild()) throw new UserError('error.guildOnly');
				await this.open({ interaction, mode, t });
			});
			return true;
		}
		if (!interaction.isModalSubmit()) return false;
		const parsed = parseMenuCustomId(interaction.customId);
		if (!parsed) return false;
		await this.#answering(interaction, t, { menu: parsed.mode, messageId: parsed.messageId }, async () => {
			const { guildId } = interaction;
			if (!guildId) throw new UserError('error.guildOnly');
			// Public, as `/video` answers: the progress and the result are for the channel to see.
			await interaction.deferReply();
			await this.submit({ interaction, guildId, parsed, locale });
		});
		return true;
	}

	async #answering(
		interaction: Parameters<typeof answerPrivately>[0],
		t: (key: MessageKey, params?: MessageParams) => string,
		context: Record<string, string>,
		work: () => Promise<void>,
	): Promise<void> {
		const logged = { ...context, guildId: interaction.guildId, userId: interaction.user.id };
		try {
			await work();
		} catch (error) {
			if (error instanceof UserError) {
				this.logger.info({ ...logged, reason: error.key, err: error.cause }, 'message menu refused');
				await answerPrivately(interaction, t(error.key, error.params), this.logger);
				return;
			}
			this.logger.error({ ...logged, err: error }, 'message menu failed');
			await answerPrivately(interaction, t('error.generic'), this.logger);
		}
	}
}
