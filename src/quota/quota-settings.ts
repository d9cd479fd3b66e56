import type { Config } from '../config.js';
import type { QuotaPeriod } from '../domain/quota.js';

export type CreditSettings = Config['credits'];

export interface ServerLimitInput {
	credits: number;
	period: QuotaPeriod;
	perUser?: number;
}

/** What a server's admins chose; whatever they left out falls back to the operator's defaults. */
export interface GuildQuotaSettings {
	server?: ServerLimitInput;
	memberLimits: Record<string, number>;
}

export interface ServerLimit {
	credits: number;
	period: QuotaPeriod;
	setByAdmins: boolean;
}

export const NO_GUILD_SETTINGS: GuildQuotaSettings = Object.freeze({ memberLimits: Object.freeze({}) });

export function serverLimitOf(settings: GuildQuotaSettings, operator: CreditSettings): ServerLimit {
	if (settings.server) return { credits: settings.server.credits, period: settings.server.period, setByAdmins: true };
	return { credits: operator.defaultServerCredits, period: operator.defaultServerPeriod, setByAdmins: false };
}

/** The limit of a member without an override; null when only the server's limit applies. */
export function defaultMemberLimitOf(settings: GuildQuotaSettings, operator: CreditSettings): number | null {
	if (settings.server?.perUser !== undefined) return settings.server.perUser;
	return operator.defaultMemberCredits > 0 ? operator.defaultMemberCredits : null;
}

export function memberLimitOf(settings: GuildQuotaSettings, userId: string, operator: CreditSettings): number | null {
	return settings.memberLimits[userId] ?? defaultMemberLimitOf(settings, operator);
}

export function monthlyCapOf(operator: CreditSettings): number | null {
	return operator.serverMonthlyCap > 0 ? operator.serverMonthlyCap : null;
}

/** The operator's bill across every server per calendar month; null when the operator set none. */
export function billCapOf(operator: CreditSettings): number | null {
	return operator.monthlyCreditCap > 0 ? operator.monthlyCreditCap : null;
}

/**
 * The most credits an admin may give a server or a member per period: more could never be spent in a month, so
 * asking for it is a mistake worth telling rather than a setting worth storing.
 */
export function settingCeilingOf(operator: CreditSettings): number | null {
	const caps = [monthlyCapOf(operator), billCapOf(operator)].filter((cap) => cap !== null);
	return caps.length === 0 ? null : Math.min(...caps);
}
