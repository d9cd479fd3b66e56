import { interactionRef } from '../../interactions/interaction-ref.js';
import { pickSeed } from '../commands/parse-settings.js';
import { normalizePrompt } from '../inputs/prompt.js';
import { extendDraft } from '../jobs/job-replay.js';
import type { JobService } from '../jobs/job-service.js';
import type { ModalHandler } from './component-context.js';
import { EXTEND_PROMPT_FIELD } from './extend.js';

/** The Extend modal's answer: a new job that continues this video from its result URL. */
export function createExtendPromptModal(jobs: JobService): ModalHandler {
	return {
		access: 'charge',
		async execute({ interaction, job, locale }) {
			const prompt = normalizePrompt(interaction.fields.getTextInputValue(EXTEND_PROMPT_FIELD));
			const channelId = interaction.channelId ?? job.channelId;
			const by = { userId: interaction.user.id, channelId, locale, interaction: interactionRef(interaction) };
			await jobs.accept(extendDraft(job, by, pickSeed(), prompt, interaction.createdTimestamp));
		},
	};
}
