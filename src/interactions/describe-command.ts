import {
	ApplicationCommandOptionType,
	type ChatInputCommandInteraction,
	type CommandInteractionOption,
} from 'discord.js';
import { cut, plainText } from '../discord/message-limits.js';

/** An option's text value is the admin's own words: enough of it to read, shown as typed. */
const VALUE_SHOWN = 100;

function shownValue(option: CommandInteractionOption): string {
	switch (option.type) {
		case ApplicationCommandOptionType.User:
			return `<@${String(option.value)}>`;
		case ApplicationCommandOptionType.Channel:
			return `<#${String(option.value)}>`;
		case ApplicationCommandOptionType.Role:
			return `<@&${String(option.value)}>`;
		case ApplicationCommandOptionType.Attachment:
			return plainText(option.attachment?.name ?? String(option.value));
		default:
			return plainText(cut(String(option.value), VALUE_SHOWN)).replaceAll('<', '\\<');
	}
}

function leafOptions(options: readonly CommandInteractionOption[]): CommandInteractionOption[] {
	return options.flatMap((option) =>
		option.type === ApplicationCommandOptionType.Subcommand ||
		option.type === ApplicationCommandOptionType.SubcommandGroup
			? leafOptions(option.options ?? [])
			: [option],
	);
}

/** The command as its user gave it, for a log: `/quota set credits:20 period:day`, mentions as mentions. */
export function describeCommand(interaction: ChatInputCommandInteraction): string {
	const group = interaction.options.getSubcommandGroup(false);
	const subcommand = interaction.options.getSubcommand(false);
	const words = [`/${interaction.commandName}`, ...(group ? [group] : []), ...(subcommand ? [subcommand] : [])];
	const options = leafOptions(interaction.options.data).map((option) => `${option.name}:${shownValue(option)}`);
	return [...words, ...options].join(' ');
}
