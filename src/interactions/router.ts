import { type ChatInputCommandInteraction, type Interaction, MessageFlags } from 'discord.js';
import type { ActivityListener } from '../domain/activity.js';
import { UserError } from '../domain/errors.js';
import { type MessageKey, type MessageParams, resolveLocale, translate } from '../i18n/index.js';
import type { Logger } from '../ops/logger.js';
import type { CommandContext, SubcommandHandlers } from './context.js';
import { describeCommand } from './describe-command.js';
import type { GuildAllowlist } from './guild-allowlist.js';
import { answerPrivately } from './private-answer.js';

export interface ComponentRouter {
	handle(interaction: Interaction): Promise<boolean>;
}

export interface InteractionRouterDeps {
	handlers: SubcommandHandlers;
	/** Buttons, modals and message menus: each takes the interactions it knows, in order. */
	components: readonly ComponentRouter[];
	allowlist: GuildAllowlist;
	/** Told of every admin change that succeeded, for the server's log. */
	activity: ActivityListener;
	logger: Logger;
}

/**
 * The one entry for interactions: refuses servers the operator does not serve, defers (jobs take far longer than
 * Discord's 3 s), dispatches, and turns a UserError into a localised answer only the caller sees. Any other error
 * is logged and answered generically.
 */
export class InteractionRouter {
	#accepting = true;
	readonly #inFlight = new Set<Promise<void>>();
	readonly #handlers: SubcommandHandlers;
	readonly #components: readonly ComponentRouter[];
	readonly #allowlist: GuildAllowlist;
	readonly #activity: ActivityListener;
	readonly #logger: Logger;

	constructor({ handlers, components, allowlist, activity, logger }: InteractionRouterDeps) {
		this.#handlers = handlers;
		this.#components = components;
		this.#allowlist = allowlist;
		this.#activity = activity;
		this.#logger = logger;
	}

	/** Takes no new interactions and waits for the ones under way, so a job being accepted is stored whole. */
	async drain(): Promise<void> {
		this.#accepting = false;
		await Promise.allSettled([...this.#inFlight]);
	}

	handle(interaction: Interaction): Promise<void> {
		if (!this.#accepting) return Promise.resolve();
		const handling = this.#dispatch(interaction);
		this.#inFlight.add(handling);
		void handling.finally(() => this.#inFlight.delete(handling));
		return handling;
	}

	async #dispatch(interaction: Interaction): Promise<void> {
		try {
			if (this.#allowlist.refuses(interaction.guildId)) await this.#refuseServer(interaction);
			else if (interaction.isChatInputCommand()) await this.#handleCommand(interaction);
			else await this.#handleOther(interaction);
		} catch (error) {
			this.#logger.error({ err: error, interactionId: interaction.id }, 'interaction handler failed');
		}
	}

	async #handleOther(interaction: Interaction): Promise<void> {
		for (const components of this.#components) {
			if (await components.handle(interaction)) return;
		}
	}

	/** Before anything is deferred, downloaded or reserved: a server the operator does not serve spends nothing. */
	async #refuseServer(interaction: Interaction): Promise<void> {
		this.#logger.info(
			{ interactionId: interaction.id, guildId: interaction.guildId, userId: interaction.user.id },
			'interaction from a server not on ALLOWED_GUILD_IDS refused',
		);
		if (!interaction.isRepliable()) return;
		const content = translate(resolveLocale(interaction.locale), 'error.guildNotAllowed');
		await interaction.reply({ content, flags: MessageFlags.Ephemeral });
	}

	async #handleCommand(interaction: ChatInputCommandInteraction): Promise<void> {
		const locale = resolveLocale(interaction.locale);
		const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
		const guildId = interaction.guildId;
		if (!guildId) {
			this.#logger.info(
				{ interactionId: interaction.id, userId: interaction.user.id },
				'command used outside a server',
			);
			await interaction.reply({ content: t('error.guildOnly'), flags: MessageFlags.Ephemeral });
			return;
		}
		const name = `${interaction.commandName} ${interaction.options.getSubcommand(false) ?? ''}`.trim();
		const handler = this.#handlers[name];
		if (!handler) {
			await interaction.reply({ content: t('error.unknownCommand'), flags: MessageFlags.Ephemeral });
			return;
		}
		await interaction.deferReply(handler.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
		const context: CommandContext = { interaction, guildId, locale, t };
		try {
			await handler.execute(context);
			if (handler.adminChange) {
				const command = describeCommand(interaction);
				this.#activity({ kind: 'admin-change', guildId, userId: interaction.user.id, command });
			}
		} catch (error) {
			if (error instanceof UserError) {
				this.#logger.info(
					{ command: name, guildId, userId: interaction.user.id, reason: error.key, err: error.cause },
					'command refused',
				);
				await answerPrivately(interaction, t(error.key, error.params), this.#logger);
				return;
			}
			this.#logger.error({ err: error, command: name, guildId, userId: interaction.user.id }, 'command failed');
			await answerPrivately(interaction, t('error.generic'), this.#logger);
		}
	}
}
