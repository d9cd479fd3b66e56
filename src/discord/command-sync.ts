import { type REST, type RESTPostAPIApplicationCommandsJSONBody, Routes } from 'discord.js';
import type { Logger } from '../ops/logger.js';

type CommandJson = RESTPostAPIApplicationCommandsJSONBody;

/**
 * True when everything we define is already what Discord holds. Discord adds ids, versions and defaults of its own,
 * so only the keys we set are compared (arrays must match in length and order).
 */
export function matchesRegistered(wanted: unknown, registered: unknown): boolean {
	if (Array.isArray(wanted)) {
		return (
			Array.isArray(registered) &&
			wanted.length === registered.length &&
			wanted.every((item, index) => matchesRegistered(item, registered[index]))
		);
	}
	if (wanted !== null && typeof wanted === 'object') {
		if (registered === null || typeof registered !== 'object') return false;
		return Object.entries(wanted).every(([key, value]) =>
			matchesRegistered(value, (registered as Record<string, unknown>)[key]),
		);
	}
	return wanted === registered;
}

/**
 * Registers the commands only when they differ from Discord's copy: command creation counts against a daily limit,
 * so a restart must not overwrite blindly. A guild id registers there (instant) instead of globally.
 */
export async function syncCommands(
	rest: REST,
	applicationId: string,
	commands: readonly CommandJson[],
	logger: Logger,
	guildId?: string,
): Promise<'unchanged' | 'updated'> {
	const route = guildId
		? Routes.applicationGuildCommands(applicationId, guildId)
		: Routes.applicationCommands(applicationId);
	const registered = (await rest.get(route)) as unknown[];
	const sorted = [...commands].sort((a, b) => a.name.localeCompare(b.name));
	const current = [...registered].sort((a, b) =>
		String((a as { name: string }).name).localeCompare(String((b as { name: string }).name)),
	);
	if (matchesRegistered(sorted, current)) {
		logger.info({ guildId, count: commands.length }, 'commands already up to date');
		return 'unchanged';
	}
	await rest.put(route, { body: commands });
	logger.info({ guildId, count: commands.length }, 'commands registered');
	return 'updated';
}

/**
 * Commands belong to the application, not to a process: of several processes only the one holding shard 0 (every
 * sharded bot has exactly one) registers them, so a deploy does not compare and write them once per process.
 */
export async function syncCommandsFromShardZero(
	shardIds: Iterable<number>,
	rest: REST,
	applicationId: string,
	commands: readonly CommandJson[],
	logger: Logger,
	guildId?: string,
): Promise<'unchanged' | 'updated' | 'left to shard 0'> {
	const held = [...shardIds];
	if (held.includes(0)) return syncCommands(rest, applicationId, commands, logger, guildId);
	logger.info({ shards: held }, 'commands are registered by the process holding shard 0, not this one');
	return 'left to shard 0';
}
