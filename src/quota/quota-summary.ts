import { type CreditLedger, lineEntries, rolesAtLastCharge } from './ledger/credit-ledger.js';
import {
	type CreditSettings,
	defaultMemberLimitOf,
	type GuildQuotaSettings,
	memberLimitOf,
} from './limits/quota-settings.js';
import { type ServerStanding, serverStanding } from './limits/quota-standing.js';

interface MemberUsage {
	userId: string;
	used: number;
	limit: number | null;
}

interface RoleAllowance {
	roleId: string;
	credits: number;
}

interface LineSummary {
	waiting: number;
	/** The most one member may have waiting. */
	limitPerMember: number;
	/** Epoch ms the job waiting longest joined the line; absent when nobody waits. */
	oldestSince?: number;
	/** Most jobs waiting first. */
	members: Array<{ userId: string; waiting: number }>;
}

export interface QuotaSummary extends ServerStanding {
	defaultMemberLimit: number | null;
	membersWithOwnLimit: number;
	/** Largest first. */
	roleAllowances: RoleAllowance[];
	/** Most credits used this period first. */
	heaviestUsers: MemberUsage[];
	/** Credits of submits whose outcome is unknown this month: returned to members, counted by the operator's caps. */
	unknownThisMonth: number;
	/** Jobs waiting in the server's line for a running slot. */
	line: LineSummary;
}

function lineSummary(ledger: CreditLedger, operator: CreditSettings): LineSummary {
	const entries = lineEntries(ledger);
	const perMember = new Map<string, number>();
	for (const { userId } of entries) perMember.set(userId, (perMember.get(userId) ?? 0) + 1);
	const summary: LineSummary = {
		waiting: entries.length,
		limitPerMember: operator.maxQueuedPerMember,
		members: [...perMember].map(([userId, waiting]) => ({ userId, waiting })).sort((a, b) => b.waiting - a.waiting),
	};
	if (entries.length > 0) summary.oldestSince = Math.min(...entries.map((entry) => entry.since));
	return summary;
}

export function quotaSummary(
	settings: GuildQuotaSettings,
	ledger: CreditLedger,
	operator: CreditSettings,
	now: Date,
	heaviestCount: number,
): QuotaSummary {
	const standing = serverStanding(settings, ledger, operator, now);
	const members = ledger.periods[standing.periodWindow.key]?.members ?? {};
	const heaviestUsers = Object.entries(members)
		.sort(([, a], [, b]) => b - a)
		.slice(0, heaviestCount)
		.map(([userId, used]) => {
			const roleIds = rolesAtLastCharge(ledger, standing.periodWindow.key, userId);
			return { userId, used, limit: memberLimitOf(settings, { userId, roleIds }, operator).credits };
		});
	return {
		...standing,
		defaultMemberLimit: defaultMemberLimitOf(settings, operator),
		membersWithOwnLimit: Object.keys(settings.memberLimits).length,
		roleAllowances: Object.entries(settings.roleLimits)
			.map(([roleId, credits]) => ({ roleId, credits }))
			.sort((a, b) => b.credits - a.credits || a.roleId.localeCompare(b.roleId)),
		heaviestUsers,
		unknownThisMonth: ledger.months[standing.monthWindow.key]?.unknown ?? 0,
		line: lineSummary(ledger, operator),
	};
}
