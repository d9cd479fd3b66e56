import {
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	type MessageContextMenuCommandInteraction,
	MessageFlags,
	type ModalSubmitInteraction,
} from 'discord.js';
import { fitContent } from '../discord/message-limits.js';
import type { Logger } from '../ops/logger.js';

export type RepliableInteraction =
	| ChatInputCommandInteraction
	| MessageContextMenuCommandInteraction
	| ButtonInteraction
	| ModalSubmitInteraction;

/**
 * A public deferral cannot become ephemeral, so a mistake is told privately and the public placeholder removed. The
 * answer may quote what the member sent, so it is cut to what Discord takes.
 */
export async function answerPrivately(
	interaction: RepliableInteraction,
	answer: string,
	logger: Logger,
): Promise<void> {
	const content = fitContent(answer);
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
