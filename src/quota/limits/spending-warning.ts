import type { Config } from '../../config.js';
import type { Logger } from '../../ops/logger.js';
import { billCapOf } from './quota-settings.js';

/**
 * Discord makes applications public by default, so anyone can add the bot to a server of their own: with no
 * allowlist and no cap on the whole bill, strangers can spend the operator's key without limit.
 */
export function warnIfSpendingUnbounded(config: Pick<Config, 'allowedGuildIds' | 'credits'>, logger: Logger): void {
	if (config.allowedGuildIds !== undefined || billCapOf(config.credits) !== null) return;
	logger.warn(
		{ serverMonthlyCap: config.credits.serverMonthlyCap },
		'no ALLOWED_GUILD_IDS and MONTHLY_CREDIT_CAP=0: any server that adds the bot spends on the Modelverse key, with no limit on the total bill',
	);
}
