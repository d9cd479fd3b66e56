import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { commandDefinitions } from '../src/command-definitions.js';
import { type Harness, startHarness } from '../standins/harness.js';

const run = promisify(execFile);
const deployScript = fileURLToPath(new URL('../src/deploy-commands.ts', import.meta.url));

let harness: Harness;

afterEach(async () => {
	await harness.closeChecked();
});

const commandWrites = () =>
	harness.discord.requests.filter((request) => request.method === 'PUT' && request.path.includes('/commands'));

it('registers the commands once, and a restart with the same definitions does not register them again', async () => {
	harness = await startHarness();
	expect(commandWrites()).toHaveLength(1);
	expect(harness.discord.registeredCommands().map((command) => command.name)).toEqual([
		'video',
		'quota',
		'moderation',
		'Animate this image',
		'Extend this video',
	]);
	const quota = harness.discord.registeredCommands().find((command) => command.name === 'quota');
	expect(quota?.default_member_permissions).toBe('32');
	expect(quota?.description_localizations).toMatchObject({ 'zh-CN': expect.any(String) });

	await harness.restart();
	expect(commandWrites()).toHaveLength(1);
});

it('registers in one server when COMMAND_GUILD_ID is set, and npm run deploy-commands does it on demand', async () => {
	const guildId = '1575342975125291011';
	harness = await startHarness({
		discord: { guilds: [{ id: guildId, channels: [{ id: '1575342975125291012' }] }] },
		env: { COMMAND_GUILD_ID: guildId },
	});
	expect(commandWrites().map((request) => request.path)).toEqual([
		`/applications/${harness.discord.applicationId}/guilds/${guildId}/commands`,
	]);
	expect(harness.discord.registeredCommands()).toEqual([]);

	await run(process.execPath, ['--import', 'tsx', deployScript], {
		env: {
			PATH: process.env.PATH ?? '',
			DISCORD_TOKEN: harness.discord.botToken,
			DISCORD_API_URL: harness.discord.apiUrl,
		},
	});
	const global = harness.discord.registeredCommands();
	expect(global.map((command) => command.name).sort()).toEqual(commandDefinitions.map((c) => c.name).sort());
});
