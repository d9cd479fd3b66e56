import { rerollDraft } from '../../services/jobs/job-replay.js';
import type { JobService } from '../../services/jobs/job-service.js';
import { interactionRef } from '../interaction-ref.js';
import type { VideoInputLimits } from '../video-create.js';
import { pickSeed } from '../video-settings.js';
import type { ButtonHandler } from './component-context.js';

/** Reroll: a new job with this one's inputs and settings and a new seed, charged to whoever pressed it. */
export function createRerollButton(jobs: JobService, limits: VideoInputLimits): ButtonHandler {
	return {
		defer: 'public',
		async execute({ interaction, job, locale }) {
			const by = {
				userId: interaction.user.id,
				channelId: interaction.channelId,
				locale,
				interaction: interactionRef(interaction),
			};
			await jobs.accept(await rerollDraft(job, by, pickSeed(), limits));
		},
	};
}
