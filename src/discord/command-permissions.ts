import { ApplicationCommandPermissionType, type REST, Routes } from 'discord.js';
import { z } from 'zod';
import { type CommandUser, overwritesAllow } from './command-overwrites.js';

const commandsSchema = z.array(z.object({ id: z.string(), name: z.string(), type: z.number().optional() }));
const permissionsSchema = z.array(
	z.object({
		id: z.string(),
		permissions: z.array(
			z.object({ id: z.string(), type: z.enum(ApplicationCommandPermissionType), permission: z.boolean() }),
		),
	}),
);

const CHAT_INPUT = 1;

/**
 * Whether Discord would let a member run one of the bot's slash commands in a channel, read from the overwrites
 * admins set under Integrations. Discord applies them to commands, not to buttons, so a button that acts like a
 * command asks here. The overwrites are read on every call (admins change them at any time); command ids are kept.
 */
export class CommandPermissions {
	readonly #commandIds = new Map<string, string | undefined>();

	constructor(
		private readonly rest: REST,
		private readonly applicationId: () => string | undefined,
	) {}

	async allows(commandName: string, user: CommandUser): Promise<boolean> {
		const applicationId = this.applicationId();
		if (!applicationId) throw new Error('the bot does not know its application id yet');
		const commandId = await this.#commandId(applicationId, commandName, user.guildId);
		const all = permissionsSchema.parse(
			await this.rest.get(Routes.guildApplicationCommandsPermissions(applicationId, user.guildId)),
		);
		const overwritesOf = (id: string | undefined) => all.find((entry) => entry.id === id)?.permissions ?? [];
		return overwritesAllow([overwritesOf(commandId), overwritesOf(applicationId)], user);
	}

	/** A command registered in the guild (COMMAND_GUILD_ID) shadows a global one, as in Discord's client. */
	async #commandId(applicationId: string, name: string, guildId: string): Promise<string | undefined> {
		const cacheKey = `${guildId}:${name}`;
		if (this.#commandIds.has(cacheKey)) return this.#commandIds.get(cacheKey);
		const find = async (route: `/${string}`) =>
			commandsSchema
				.parse(await this.rest.get(route))
				.find((command) => command.name === name && (command.type ?? CHAT_INPUT) === CHAT_INPUT)?.id;
		const id =
			(await find(Routes.applicationGuildCommands(applicationId, guildId))) ??
			(await find(Routes.applicationCommands(applicationId)));
		this.#commandIds.set(cacheKey, id);
		return id;
	}
}
