import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { UserError } from '../../domain/errors.js';
import { PROMPT_MAX_LENGTH } from '../../domain/video.js';
import { resultCustomId } from '../custom-ids.js';
import type { ButtonHandler } from './component-context.js';

export const EXTEND_PROMPT_FIELD = 'prompt';

/** Extend asks for the new prompt in a modal, which Discord accepts only as the first answer to the press. */
export function createExtendButton(): ButtonHandler {
	return {
		defer: 'none',
		// The modal's answer is what charges; checking only the place here keeps the modal within Discord's 3 s.
		access: 'job-server',
		async execute({ interaction, job, t }) {
			if (!job.result) throw new UserError('button.notReady');
			const prompt = new TextInputBuilder()
				.setCustomId(EXTEND_PROMPT_FIELD)
				.setLabel(t('modal.promptLabel'))
				.setStyle(TextInputStyle.Paragraph)
				.setRequired(true)
				.setMaxLength(PROMPT_MAX_LENGTH);
			const modal = new ModalBuilder()
				.setCustomId(resultCustomId('extend-prompt', job.id))
				.setTitle(t('modal.extendTitle'))
				.addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(prompt));
			await interaction.showModal(modal);
		},
	};
}
