import { interactionRef } from '../../interactions/interaction-ref.js';
import { memberRoleIds } from '../../interactions/member-role-ids.js';
import { pickSeed } from '../commands/parse-settings.js';
import type { ImagePreparer } from '../inputs/image-preparer.js';
import { rerollDraft } from '../jobs/job-replay.js';
import type { JobService } from '../jobs/job-service.js';
import type { ButtonHandler } from './component-context.js';

/**
 * Reroll: a new job with this one's inputs and settings and a new seed, charged to whoever pressed it. The job's
 * settings are the ones that made the video being rerolled, so the presser's own defaults do not apply.
 */
export function createRerollButton(jobs: JobService, images: ImagePreparer): ButtonHandler {
	return {
		defer: 'public',
		access: 'charge',
		async execute({ interaction, job, locale }) {
			const by = {
				userId: interaction.user.id,
				roleIds: memberRoleIds(interaction),
				channelId: interaction.channelId,
				locale,
				interaction: interactionRef(interaction),
			};
			await jobs.accept(rerollDraft(job, by, pickSeed(), images));
		},
	};
}
