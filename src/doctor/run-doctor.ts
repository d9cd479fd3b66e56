import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../ops/logger.js';
import { databasePasswords } from '../storage/postgres-store.js';
import { sharedQueryBudget } from '../storage/shared-query-budget.js';
import { checkDiscordToken, checkGuildPermissions, discordRest } from './check-discord.js';
import { checkModelverseKey } from './check-modelverse-key.js';
import { checkRedis } from './check-redis.js';
import { checkStore } from './check-store.js';
import { type CheckResult, errorText, failed, formatReport, passed } from './doctor-report.js';

export interface DoctorOutcome {
	ok: boolean;
	report: string;
}

/** Checks everything the bot needs at start-up without spending credits or changing anything it keeps. */
export async function runDoctor(env: NodeJS.ProcessEnv): Promise<DoctorOutcome> {
	const secrets = [env.DISCORD_TOKEN ?? '', env.MODELVERSE_API_KEY ?? '', ...databasePasswords(env.DATABASE_URL ?? '')];
	let config: ReturnType<typeof loadConfig>;
	try {
		config = loadConfig(env);
	} catch (error) {
		const detail = error instanceof ConfigError ? error.problems.join('; ') : errorText(error);
		return { ok: false, report: formatReport([failed('settings', detail)], secrets) };
	}
	const results: CheckResult[] = [passed('settings', 'every setting is valid')];
	const rest = discordRest(config);
	const { result: tokenResult, botUser } = await checkDiscordToken(rest);
	results.push(tokenResult);
	const budget = sharedQueryBudget(config, createLogger({ level: 'silent', secrets: [] }));
	try {
		results.push(await checkModelverseKey(config.modelverse, budget));
	} finally {
		budget?.close();
	}
	results.push(await checkStore(config.databaseUrl));
	if (config.redisUrl) results.push(await checkRedis(config.redisUrl));
	if (botUser) results.push(...(await checkGuildPermissions(rest, botUser)));
	else results.push(failed('servers', 'not checked: needs a working Discord token'));
	return { ok: results.every((result) => result.ok), report: formatReport(results, secrets) };
}
