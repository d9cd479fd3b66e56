import { interactionRef } from '../../interactions/interaction-ref.js';
import { memberRoleIds } from '../../interactions/member-role-ids.js';
import { NO_EXPLICIT_OPTIONS } from '../defaults/member-defaults.js';
import type { VideoDefaults } from '../defaults/video-defaults.js';
import { normalizePrompt } from '../inputs/prompt.js';
import { extendDraft } from '../jobs/job-replay.js';
import type { JobService } from '../jobs/job-service.js';
import type { ModalHandler } from './component-context.js';
import { EXTEND_PROMPT_FIELD } from './extend.js';

/**
 * The Extend modal's answer: a new job that continues this video from its result URL, with the settings
 * `/video extend` would take given no options: the presser's defaults, else the product's.
 */
export function createExtendPromptModal(jobs: JobService, defaults: VideoDefaults): ModalHandler {
	return {
		access: 'charge',
		async execute({ interaction, job, locale }) {
			const prompt = normalizePrompt(interaction.fields.getTextInputValue(EXTEND_PROMPT_FIELD));
			const channelId = interaction.channelId ?? job.channelId;
			const userId = interaction.user.id;
			const by = {
				userId,
				roleIds: memberRoleIds(interaction),
				channelId,
				locale,
				interaction: interactionRef(interaction),
			};
			const settings = await defaults.settingsFor(userId, NO_EXPLICIT_OPTIONS, 'extend');
			await jobs.accept(extendDraft(job, by, settings, prompt, interaction.createdTimestamp));
		},
	};
}
