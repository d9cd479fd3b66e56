import { type ButtonInteraction, type Interaction, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../../domain/errors.js';
import { type MessageKey, type MessageParams, resolveLocale, translate } from '../../i18n/index.js';
import { answerPrivately } from '../../interactions/private-answer.js';
import type { ComponentRouter } from '../../interactions/router.js';
import type { Logger } from '../../ops/logger.js';
import { parseResultCustomId, type RESULT_ACTIONS } from '../custom-ids.js';
import type { JobStore } from '../jobs/job-store.js';
import type { ComponentAccessCheck } from './component-access.js';
import type { ButtonHandler, ModalHandler } from './component-context.js';

export interface ResultComponentHandlers {
	buttons: Record<(typeof RESULT_ACTIONS)[number], ButtonHandler>;
	extendPrompt: ModalHandler;
}

/** Buttons and modals on posted videos: the job id in the custom id is all they need, even after a restart. */
export class ResultComponentRouter implements ComponentRouter {
	constructor(
		private readonly handlers: ResultComponentHandlers,
		private readonly store: JobStore,
		private readonly access: ComponentAccessCheck,
		private readonly logger: Logger,
	) {}

	async handle(interaction: Interaction): Promise<boolean> {
		if (!interaction.isButton() && !interaction.isModalSubmit()) return false;
		const parsed = parseResultCustomId(interaction.customId);
		if (!parsed) return false;
		const locale = resolveLocale(interaction.locale);
		const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
		const buttonHandler = parsed.action === 'extend-prompt' ? undefined : this.handlers.buttons[parsed.action];
		try {
			if (buttonHandler?.defer === 'public') await interaction.deferReply();
			if (buttonHandler?.defer === 'ephemeral') await interaction.deferReply({ flags: MessageFlags.Ephemeral });
			if (!buttonHandler) await interaction.deferReply();
			const job = await this.store.get(parsed.jobId);
			if (!job) throw new UserError('button.jobGone');
			await this.access.assert((buttonHandler ?? this.handlers.extendPrompt).access, interaction, job);
			const context = { job, locale, t };
			if (buttonHandler) await buttonHandler.execute({ ...context, interaction: interaction as ButtonInteraction });
			else await this.handlers.extendPrompt.execute({ ...context, interaction: interaction as ModalSubmitInteraction });
		} catch (error) {
			const context = {
				action: parsed.action,
				jobId: parsed.jobId,
				guildId: interaction.guildId,
				userId: interaction.user.id,
			};
			if (error instanceof UserError) {
				this.logger.info({ ...context, reason: error.key, err: error.cause }, 'button refused');
				await answerPrivately(interaction, t(error.key, error.params), this.logger);
			} else {
				this.logger.error({ ...context, err: error }, 'button failed');
				await answerPrivately(interaction, t('error.generic'), this.logger);
			}
		}
		return true;
	}
}
