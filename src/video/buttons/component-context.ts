import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import type { Job } from '../../domain/job.js';
import type { MessageKey, MessageParams, SupportedLocale } from '../../i18n/index.js';

interface ComponentContext<I extends ButtonInteraction | ModalSubmitInteraction> {
	interaction: I;
	job: Job;
	locale: SupportedLocale;
	t: (key: MessageKey, params?: MessageParams) => string;
}

/** `defer` is decided before the handler runs; a modal must be the first answer, so that handler defers nothing. */
export interface ButtonHandler {
	defer: 'public' | 'ephemeral' | 'none';
	execute(context: ComponentContext<ButtonInteraction>): Promise<void>;
}

export interface ModalHandler {
	execute(context: ComponentContext<ModalSubmitInteraction>): Promise<void>;
}
