import {
	type APIGuild,
	type APIGuildMember,
	type APIUser,
	REST,
	type RESTAPIPartialCurrentUserGuild,
	Routes,
} from 'discord.js';
import type { Config } from '../config.js';
import { type CheckResult, errorText, failed, passed } from './doctor-report.js';
import { missingPermissions, requiredPermissionNames, serverPermissions } from './guild-permissions.js';

const GUILDS_PER_PAGE = 200;

export function discordRest(config: Pick<Config, 'discordToken' | 'discordApiUrl'>): REST {
	return new REST({
		retries: 1,
		timeout: 10_000,
		...(config.discordApiUrl ? { api: config.discordApiUrl } : {}),
	}).setToken(config.discordToken);
}

export async function checkDiscordToken(rest: REST): Promise<{ result: CheckResult; botUser?: APIUser }> {
	const label = 'Discord token';
	try {
		const botUser = (await rest.get(Routes.user())) as APIUser;
		if (!botUser.bot) return { result: failed(label, `belongs to ${botUser.username}, a user account, not a bot`) };
		return { result: passed(label, `works: bot ${botUser.username} (${botUser.id})`), botUser };
	} catch (error) {
		const status = (error as { status?: number }).status;
		const reason = status === 401 ? 'Discord refused it (401): check DISCORD_TOKEN' : errorText(error);
		return { result: failed(label, reason) };
	}
}

async function botGuilds(rest: REST): Promise<RESTAPIPartialCurrentUserGuild[]> {
	const guilds: RESTAPIPartialCurrentUserGuild[] = [];
	for (;;) {
		const query = new URLSearchParams({ limit: String(GUILDS_PER_PAGE) });
		const last = guilds.at(-1);
		if (last) query.set('after', last.id);
		const page = (await rest.get(Routes.userGuilds(), { query })) as RESTAPIPartialCurrentUserGuild[];
		guilds.push(...page);
		if (page.length < GUILDS_PER_PAGE) return guilds;
	}
}

async function checkGuild(rest: REST, guildId: string, botUser: APIUser): Promise<CheckResult> {
	const guild = (await rest.get(Routes.guild(guildId))) as APIGuild;
	const member = (await rest.get(Routes.guildMember(guildId, botUser.id))) as APIGuildMember;
	const label = `server "${guild.name}" (${guild.id})`;
	const missing = missingPermissions(
		serverPermissions({ guildId, ownerId: guild.owner_id, roles: guild.roles, member, botUserId: botUser.id }),
	);
	if (missing.length > 0) return failed(label, `the bot lacks ${missing.join(', ')}`);
	return passed(label, `has ${requiredPermissionNames.join(', ')}`);
}

/** One line per server; channel overwrites can still take these away in single channels. */
export async function checkGuildPermissions(rest: REST, botUser: APIUser): Promise<CheckResult[]> {
	try {
		const guilds = await botGuilds(rest);
		if (guilds.length === 0) return [passed('servers', 'the bot is in no server yet; invite it to one')];
		const results: CheckResult[] = [];
		for (const guild of guilds) {
			results.push(
				await checkGuild(rest, guild.id, botUser).catch((error: unknown) =>
					failed(`server "${guild.name}" (${guild.id})`, `could not be read: ${errorText(error)}`),
				),
			);
		}
		return results;
	} catch (error) {
		return [failed('servers', `the list of servers could not be read: ${errorText(error)}`)];
	}
}
