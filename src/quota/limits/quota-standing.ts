import type { QuotaPeriod } from '../../domain/quota.js';
import { type CreditLedger, lineEntries, runningJobs } from '../ledger/credit-ledger.js';
import { type PeriodWindow, periodWindow } from './periods.js';
import {
	type CreditSettings,
	type GuildQuotaSettings,
	type MemberIdentity,
	type MemberLimitSource,
	memberLimitOf,
	monthlyCapOf,
	serverLimitOf,
} from './quota-settings.js';

interface Allowance {
	used: number;
	/** Null: no limit at this level. */
	limit: number | null;
	left: number | null;
}

export interface ServerStanding {
	period: QuotaPeriod;
	periodWindow: PeriodWindow;
	monthWindow: PeriodWindow;
	server: Allowance & { limit: number; left: number; setByAdmins: boolean };
	/** The operator's cap over the calendar month, whatever the server's period. */
	monthlyCap: Allowance;
	/** Jobs taking a running slot; those waiting in line are not among them. */
	running: { count: number; limit: number };
}

export interface MemberStanding extends ServerStanding {
	member: Allowance;
	/** Whose setting the member's limit is: their own, a role's, the server's default or the operator's. */
	memberLimitSource: MemberLimitSource;
	memberRunning: { count: number; limit: number };
	/** The member's jobs waiting in the server's line, and how many may wait at once (0: none, jobs are refused). */
	memberWaiting: { count: number; limit: number };
	/** What the member can still spend now: the tightest of their own, the server's and the cap's remainder. */
	available: number;
	/** What the server can still spend now: the tighter of its own and the cap's remainder. */
	serverAvailable: number;
}

/** Credits kept past a window's end, so a job charged just before it can still be returned into it. */
const WINDOW_MARGIN_MS = 2 * 86_400_000;

export function keepUntil(window: PeriodWindow): number {
	return window.end.getTime() + WINDOW_MARGIN_MS;
}

export function serverStanding(
	settings: GuildQuotaSettings,
	ledger: CreditLedger,
	operator: CreditSettings,
	now: Date,
): ServerStanding {
	const limit = serverLimitOf(settings, operator);
	const current = periodWindow(limit.period, now);
	const month = periodWindow('month', now);
	const used = ledger.periods[current.key]?.total ?? 0;
	return {
		period: limit.period,
		periodWindow: current,
		monthWindow: month,
		server: { used, limit: limit.credits, left: remaining(used, limit.credits), setByAdmins: limit.setByAdmins },
		monthlyCap: allowance(ledger.months[month.key]?.total ?? 0, monthlyCapOf(operator)),
		running: { count: runningJobs(ledger).length, limit: operator.maxRunningPerServer },
	};
}

export function memberStanding(
	settings: GuildQuotaSettings,
	ledger: CreditLedger,
	operator: CreditSettings,
	identity: MemberIdentity,
	now: Date,
): MemberStanding {
	const server = serverStanding(settings, ledger, operator, now);
	const limit = memberLimitOf(settings, identity, operator);
	const member = allowance(ledger.periods[server.periodWindow.key]?.members[identity.userId] ?? 0, limit.credits);
	const serverAvailable = Math.min(server.server.left, server.monthlyCap.left ?? Number.POSITIVE_INFINITY);
	return {
		...server,
		member,
		memberLimitSource: limit.source,
		memberRunning: { count: runningJobs(ledger, identity.userId).length, limit: operator.maxRunningPerMember },
		memberWaiting: {
			count: lineEntries(ledger).filter((entry) => entry.userId === identity.userId).length,
			limit: operator.maxQueuedPerMember,
		},
		available: Math.min(member.left ?? Number.POSITIVE_INFINITY, serverAvailable),
		serverAvailable,
	};
}

function allowance(used: number, limit: number | null): Allowance {
	return { used, limit, left: limit === null ? null : remaining(used, limit) };
}

// An admin may lower a limit below what was already used this period.
function remaining(used: number, limit: number): number {
	return Math.max(0, limit - used);
}
