import type {
	APIApplicationCommand,
	APIApplicationCommandOption,
	APIApplicationCommandPermission,
	APIGuildApplicationCommandPermissions,
} from 'discord.js';
import { nextSnowflake } from './snowflake.js';

/** A command as the bot registers it (PUT/POST body); loosely typed because the body was validated against the spec. */
export interface CommandRegistration {
	name: string;
	type?: number | null;
	description?: string | null;
	options?: APIApplicationCommandOption[] | null;
	default_member_permissions?: string | number | null;
	[key: string]: unknown;
}

const globalScope = 'global';

export class CommandStore {
	private readonly commandsByScope = new Map<string, APIApplicationCommand[]>();
	/** By guild, then by command id (or the application id, for overwrites on every command). */
	private readonly permissionsByGuild = new Map<string, Map<string, APIApplicationCommandPermission[]>>();

	constructor(private readonly applicationId: string) {}

	list(guildId?: string): APIApplicationCommand[] {
		return this.commandsByScope.get(guildId ?? globalScope) ?? [];
	}

	overwrite(registrations: CommandRegistration[], guildId?: string): APIApplicationCommand[] {
		const previous = this.list(guildId);
		const commands = registrations.map((registration) => this.toCommand(registration, previous, guildId));
		this.commandsByScope.set(guildId ?? globalScope, commands);
		return commands;
	}

	upsert(registration: CommandRegistration, guildId?: string): { command: APIApplicationCommand; created: boolean } {
		const previous = this.list(guildId);
		const command = this.toCommand(registration, previous, guildId);
		const created = !previous.some((existing) => existing.id === command.id);
		this.commandsByScope.set(guildId ?? globalScope, [
			...previous.filter((existing) => existing.id !== command.id),
			command,
		]);
		return { command, created };
	}

	/** As an admin sets them under Server Settings → Integrations; `commandId` is the application id for all commands. */
	setPermissions(guildId: string, commandId: string, permissions: APIApplicationCommandPermission[]): void {
		const inGuild = this.permissionsByGuild.get(guildId) ?? new Map<string, APIApplicationCommandPermission[]>();
		inGuild.set(commandId, permissions);
		this.permissionsByGuild.set(guildId, inGuild);
	}

	permissions(guildId: string): APIGuildApplicationCommandPermissions[] {
		return [...(this.permissionsByGuild.get(guildId) ?? new Map()).entries()].map(([id, permissions]) => ({
			id,
			application_id: this.applicationId,
			guild_id: guildId,
			permissions,
		}));
	}

	/** A guild command shadows a global one of the same name, as in the Discord client. */
	find(name: string, guildId?: string): APIApplicationCommand | undefined {
		const inGuild =
			guildId === undefined
				? undefined
				: this.list(guildId).find((command) => command.name === name && command.type === 1);
		return inGuild ?? this.list().find((command) => command.name === name && command.type === 1);
	}

	private toCommand(
		registration: CommandRegistration,
		previous: APIApplicationCommand[],
		guildId?: string,
	): APIApplicationCommand {
		const type = registration.type ?? 1;
		const existing = previous.find((command) => command.name === registration.name && command.type === type);
		const permissions = registration.default_member_permissions;
		const command = {
			...registration,
			id: existing?.id ?? nextSnowflake(),
			application_id: this.applicationId,
			version: existing?.version ?? nextSnowflake(),
			type,
			name: registration.name,
			description: registration.description ?? '',
			default_member_permissions: permissions === undefined || permissions === null ? null : String(permissions),
			dm_permission: registration.dm_permission ?? true,
			nsfw: registration.nsfw ?? false,
			integration_types: registration.integration_types ?? [0],
			contexts: registration.contexts ?? null,
			...(registration.options ? { options: registration.options } : {}),
			...(guildId === undefined ? {} : { guild_id: guildId }),
		} as APIApplicationCommand;
		const changed =
			existing !== undefined &&
			JSON.stringify({ ...existing, version: '' }) !== JSON.stringify({ ...command, version: '' });
		return changed ? { ...command, version: nextSnowflake() } : command;
	}
}
