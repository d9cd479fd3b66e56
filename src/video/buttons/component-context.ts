import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import type { Job } from '../../domain/job.js';
import type { MessageKey, MessageParams, SupportedLocale } from '../../i18n/index.js';

interface ComponentContext<I extends ButtonInteraction | ModalSubmitInteraction> {
	interaction: I;
	job: Job;
	locale: SupportedLocale;
	t: (key: MessageKey, params?: MessageParams) => string;
}

/**
 * Where a component may act. `anywhere`: wherever its message is (Delete). `job-server`: only in the job's own
 * server. `charge`: there, and only for a member who may use `/video` in that channel, since it spends credits as
 * the command would.
 */
export type ComponentAccess = 'anywhere' | 'job-server' | 'charge';

/** `defer` is decided before the handler runs; a modal must be the first answer, so that handler defers nothing. */
export interface ButtonHandler {
	defer: 'public' | 'ephemeral' | 'none';
	access: ComponentAccess;
	execute(context: ComponentContext<ButtonInteraction>): Promise<void>;
}

export interface ModalHandler {
	access: ComponentAccess;
	execute(context: ComponentContext<ModalSubmitInteraction>): Promise<void>;
}
