import {
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	MessageFlags,
	type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from '../ops/logger.js';

export type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** A public deferral cannot become ephemeral, so a mistake is told privately and the public placeholder removed. */
export async function answerPrivately(
	interaction: RepliableInteraction,
	content: string,
	logger: Logger,
): Promise<void> {
	if (!interaction.deferred && !interaction.replied) {
		await interaction.reply({ content, flags: MessageFlags.Ephemeral });
		return;
	}
	if (interaction.ephemeral) {
		await interaction.editReply({ content, embeds: [], components: [] });
		return;
	}
	await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
	await interaction.deleteReply().catch((error: unknown) => {
		logger.warn({ err: error, interactionId: interaction.id }, 'could not remove the placeholder reply');
	});
}
