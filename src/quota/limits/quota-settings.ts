import type { Config } from '../../config.js';
import type { QuotaPeriod } from '../../domain/quota.js';

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
	/** By role id: the limit of members holding the role, in place of `per_user`. */
	roleLimits: Record<string, number>;
}

export interface ServerLimit {
	credits: number;
	period: QuotaPeriod;
	setByAdmins: boolean;
}

/** A member as the interaction shows them: Discord sends their role ids with every interaction. */
export interface MemberIdentity {
	userId: string;
	roleIds: readonly string[];
}

/** Where a member's limit comes from, most specific first. */
export type MemberLimitSource =
	| { kind: 'own' }
	| { kind: 'role'; roleId: string }
	| { kind: 'per-user' }
	| { kind: 'operator' }
	| { kind: 'none' };

export interface MemberLimit {
	/** Null: only the server's limit applies. */
	credits: number | null;
	source: MemberLimitSource;
}

export const NO_GUILD_SETTINGS: GuildQuotaSettings = Object.freeze({
	memberLimits: Object.freeze({}),
	roleLimits: Object.freeze({}),
});

export function serverLimitOf(settings: GuildQuotaSettings, operator: CreditSettings): ServerLimit {
	if (settings.server) return { credits: settings.server.credits, period: settings.server.period, setByAdmins: true };
	return { credits: operator.defaultServerCredits, period: operator.defaultServerPeriod, setByAdmins: false };
}

/** The limit of a member without an override or a role allowance; null when only the server's limit applies. */
export function defaultMemberLimitOf(settings: GuildQuotaSettings, operator: CreditSettings): number | null {
	return defaultMemberLimit(settings, operator).credits;
}

function defaultMemberLimit(settings: GuildQuotaSettings, operator: CreditSettings): MemberLimit {
	if (settings.server?.perUser !== undefined) return { credits: settings.server.perUser, source: { kind: 'per-user' } };
	if (operator.defaultMemberCredits > 0)
		return { credits: operator.defaultMemberCredits, source: { kind: 'operator' } };
	return { credits: null, source: { kind: 'none' } };
}

/**
 * The member's own limit beats their roles' allowances, which beat the server's default. Of several roles with an
 * allowance the largest counts: a role is given to let its members do more, never to hold them back.
 */
export function memberLimitOf(
	settings: GuildQuotaSettings,
	member: MemberIdentity,
	operator: CreditSettings,
): MemberLimit {
	const own = settings.memberLimits[member.userId];
	if (own !== undefined) return { credits: own, source: { kind: 'own' } };
	const role = largestRoleAllowance(settings.roleLimits, member.roleIds);
	if (role) return { credits: role.credits, source: { kind: 'role', roleId: role.roleId } };
	return defaultMemberLimit(settings, operator);
}

function largestRoleAllowance(
	roleLimits: Readonly<Record<string, number>>,
	roleIds: readonly string[],
): { roleId: string; credits: number } | undefined {
	let largest: { roleId: string; credits: number } | undefined;
	for (const roleId of [...roleIds].sort()) {
		const credits = roleLimits[roleId];
		if (credits !== undefined && (largest === undefined || credits > largest.credits)) largest = { roleId, credits };
	}
	return largest;
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
