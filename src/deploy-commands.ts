import { REST, Routes } from 'discord.js';
import { commandDefinitions } from './command-definitions.js';
import { environmentSchema, settingProblems } from './config.js';
import { syncCommands } from './discord/command-sync.js';
import { createLogger } from './ops/logger.js';

/** Registers the slash commands on demand, without starting the bot; needs only the token (and optionally a guild). */
const environment = environmentSchema
	.pick({ DISCORD_TOKEN: true, DISCORD_API_URL: true, COMMAND_GUILD_ID: true, LOG_LEVEL: true })
	.safeParse(process.env);

if (!environment.success) {
	console.error(settingProblems(environment.error).join('\n'));
	process.exit(1);
}
const { DISCORD_TOKEN, DISCORD_API_URL, COMMAND_GUILD_ID, LOG_LEVEL } = environment.data;
const logger = createLogger({ level: LOG_LEVEL, secrets: [DISCORD_TOKEN] });
const rest = new REST(DISCORD_API_URL ? { api: DISCORD_API_URL } : {}).setToken(DISCORD_TOKEN);
const application = (await rest.get(Routes.currentApplication())) as { id: string };
await syncCommands(rest, application.id, commandDefinitions, logger, COMMAND_GUILD_ID);
