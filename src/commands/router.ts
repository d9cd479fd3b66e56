import { type ChatInputCommandInteraction, type Interaction, MessageFlags } from 'discord.js';
import { UserError } from '../domain/errors.js';
import { type MessageKey, type MessageParams, resolveLocale, translate } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { CommandContext, SubcommandHandlers } from './context.js';

export interface ComponentRouter {
	handle(interaction: Interaction): Promise<boolean>;
}

/**
 * The one entry for interactions: defers first (jobs take far longer than Discord's 3 s), dispatches, and turns a
 * UserError into a localised answer only the caller sees. Any other error is logged and answered generically.
 */
export class InteractionRouter {
	#accepting = true;

	constructor(
		private readonly handlers: SubcommandHandlers,
		private readonly logger: Logger,
		private readonly components?: ComponentRouter,
	) {}

	stopAccepting(): void {
		this.#accepting = false;
	}

	async handle(interaction: Interaction): Promise<void> {
		if (!this.#accepting) return;
		try {
			if (interaction.isChatInputCommand()) await this.#handleCommand(interaction);
			else if (this.components) await this.components.handle(interaction);
		} catch (error) {
			this.logger.error({ err: error, interactionId: interaction.id }, 'interaction handler failed');
		}
	}

	async #handleCommand(interaction: ChatInputCommandInteraction): Promise<void> {
		const locale = resolveLocale(interaction.locale);
		const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
		const guildId = interaction.guildId;
		if (!guildId) {
			await interaction.reply({ content: t('error.guildOnly'), flags: MessageFlags.Ephemeral });
			return;
		}
		const name = `${interaction.commandName} ${interaction.options.getSubcommand(false) ?? ''}`.trim();
		const handler = this.handlers[name];
		if (!handler) {
			await interaction.reply({ content: t('error.unknownCommand'), flags: MessageFlags.Ephemeral });
			return;
		}
		await interaction.deferReply(handler.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
		const context: CommandContext = { interaction, guildId, locale, t };
		try {
			await handler.execute(context);
		} catch (error) {
			if (error instanceof UserError) {
				this.logger.info(
					{ command: name, guildId, userId: interaction.user.id, reason: error.key, err: error.cause },
					'command refused',
				);
				await this.#answerPrivately(context, handler.ephemeral, t(error.key, error.params));
				return;
			}
			this.logger.error({ err: error, command: name, guildId, userId: interaction.user.id }, 'command failed');
			await this.#answerPrivately(context, handler.ephemeral, t('error.generic'));
		}
	}

	/** A public deferral cannot become ephemeral, so a mistake is told privately and the public placeholder removed. */
	async #answerPrivately(context: CommandContext, deferredEphemeral: boolean, content: string): Promise<void> {
		const { interaction } = context;
		if (deferredEphemeral) {
			await interaction.editReply({ content, embeds: [], components: [] });
			return;
		}
		await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
		await interaction.deleteReply().catch((error: unknown) => {
			this.logger.warn({ err: error, interactionId: interaction.id }, 'could not remove the placeholder reply');
		});
	}
}
