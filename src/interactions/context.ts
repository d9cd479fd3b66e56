import type { ChatInputCommandInteraction } from 'discord.js';
import type { MessageKey, MessageParams, SupportedLocale } from '../i18n/index.js';

export interface CommandContext {
	interaction: ChatInputCommandInteraction;
	guildId: string;
	locale: SupportedLocale;
	t: (key: MessageKey, params?: MessageParams) => string;
}

/** One subcommand's behaviour. The router has already deferred the reply, so handlers answer with `editReply`. */
export interface SubcommandHandler {
	/** Answers only the caller sees; decided before deferring, since a deferral cannot change it later. */
	ephemeral: boolean;
	/** A change admins make (limits, blocked terms, the log): reported to the server's log once it succeeded. */
	adminChange?: true;
	execute(context: CommandContext): Promise<void>;
}

/** Keys are `command subcommand`, e.g. `video text`. */
export type SubcommandHandlers = Readonly<Record<string, SubcommandHandler>>;
