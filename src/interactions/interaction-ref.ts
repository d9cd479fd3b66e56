import type { BaseInteraction } from 'discord.js';
import type { InteractionRef } from '../domain/job.js';

/** Discord kills an interaction token 15 minutes after the interaction was created. */
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export function interactionRef(interaction: BaseInteraction & { token: string }): InteractionRef {
	return {
		applicationId: interaction.applicationId,
		token: interaction.token,
		expiresAt: interaction.createdTimestamp + INTERACTION_TOKEN_LIFETIME_MS,
		attachmentSizeLimit: interaction.attachmentSizeLimit,
	};
}
