import type { CreditReservation } from './credit-reservation.js';
import { afterServing, type LineClock, NEW_LINE_CLOCK } from './line-order.js';

interface WindowUsage {
	total: number;
	members: Record<string, number>;
	/** Credits of submits whose outcome is unknown: back with their members, still in `total` for the operator. */
	unknown?: number;
	/**
	 * Period windows only: each member's role ids at their latest charge, so `/quota show` can tell the limit of a
	 * member who is not the one asking (Discord sends roles only with the member's own interactions).
	 */
	memberRoles?: Record<string, string[]>;
	/** Epoch ms after which the window is dropped, unless a running job was charged in it. */
	keepUntil: number;
}

/**
 * One guild's credits in one record, so that a charge, a return and the end of a job's running slot are each a
 * single write: a crash can never leave credits returned while the job still counts as held, or the reverse.
 */
export interface CreditLedger {
	/**
	 * Reservations of the jobs not yet ended (running, or waiting in line), by job id; a job leaves exactly once, by
	 * release or settle.
	 */
	held: Record<string, CreditReservation>;
	/** The held jobs still waiting in the server's line for a running slot, by job id. */
	line?: Record<string, LineTicket>;
	/** Tickets (who came first, even within one millisecond) and rounds (whose turn is fair) of the line. */
	lineClock?: LineClock;
	/** Usage in the admins' period; `/quota reset` zeroes it. */
	periods: Record<string, WindowUsage>;
	/** Usage in the calendar month for the operator's cap; no admin can reset it. */
	months: Record<string, WindowUsage>;
}

/** A place in the server's line, kept in the same record as the job's credits, so both change in one write. */
interface LineTicket {
	userId: string;
	ticket: number;
	round: number;
	/** Epoch ms the job joined the line. */
	since: number;
}

export interface LineEntry extends LineTicket {
	jobId: string;
}

export function emptyLedger(): CreditLedger {
	return { held: {}, periods: {}, months: {} };
}

export function heldJobs(ledger: CreditLedger, userId?: string): CreditReservation[] {
	const all = Object.values(ledger.held);
	return userId === undefined ? all : all.filter((reservation) => reservation.userId === userId);
}

/** The held jobs that are not waiting in line: those taking a running slot. */
export function runningJobs(ledger: CreditLedger, userId?: string): CreditReservation[] {
	return heldJobs(ledger, userId).filter((reservation) => ledger.line?.[reservation.jobId] === undefined);
}

export function lineEntries(ledger: CreditLedger): LineEntry[] {
	return Object.entries(ledger.line ?? {}).map(([jobId, ticket]) => ({ jobId, ...ticket }));
}

/** Running jobs per member, for deciding who may leave the line. */
export function runningByMember(ledger: CreditLedger): Map<string, number> {
	const counts = new Map<string, number>();
	for (const { userId } of runningJobs(ledger)) counts.set(userId, (counts.get(userId) ?? 0) + 1);
	return counts;
}

export function lineClockOf(ledger: CreditLedger): LineClock {
	return ledger.lineClock ?? NEW_LINE_CLOCK;
}

/** A job just charged waits in the line with the ticket and round it was given; `clock` is the line's after that. */
export function joinLine(ledger: CreditLedger, entry: LineEntry, clock: LineClock): void {
	const { jobId, ...ticket } = entry;
	ledger.line = { ...ledger.line, [jobId]: ticket };
	ledger.lineClock = clock;
}

/** These jobs leave the line for running slots (their credits stay held), and the line serves their round now. */
export function serveTurns(ledger: CreditLedger, leaving: readonly LineEntry[]): void {
	for (const { jobId } of leaving) delete ledger.line?.[jobId];
	ledger.lineClock = afterServing(lineClockOf(ledger), leaving);
}

/** The job's credits are no longer held: it leaves the ledger, and the line if it was waiting there. */
export function dropHeld(ledger: CreditLedger, jobId: string): void {
	delete ledger.held[jobId];
	delete ledger.line?.[jobId];
}
export function charge(
	ledger: CreditLedger,
	reservation: CreditReservation,
	keepUntil: { period: number; month: number },
	roleIds: readonly string[],
): void {
	ledger.held[reservation.jobId] = reservation;
	const period = addTo(ledger.periods, reservation.periodKey, keepUntil.period, reservation.userId, reservation.cost);
	period.memberRoles = { ...period.memberRoles, [reservation.userId]: [...roleIds] };
	addTo(ledger.months, reservation.monthKey, keepUntil.month, reservation.userId, reservation.cost);
}

/** The member's role ids at their latest charge in the period; none when they were not charged in it. */
export function rolesAtLastCharge(ledger: CreditLedger, periodKey: string, userId: string): readonly string[] {
	return ledger.periods[periodKey]?.memberRoles?.[userId] ?? [];
}

/** Returns the job's credits to the windows it was charged in; the caller has checked that the job is held. */
export function refund(ledger: CreditLedger, reservation: CreditReservation): void {
	subtractFrom(ledger.periods[reservation.periodKey], reservation.userId, reservation.cost);
	subtractFrom(ledger.months[reservation.monthKey], reservation.userId, reservation.cost);
}

/**
 * A submit that may have been billed: the member and the admins' period get the credits back, but the month keeps
 * them in its total, because the operator's cap counts what the provider may charge.
 */
export function refundUnknown(ledger: CreditLedger, reservation: CreditReservation): void {
	subtractFrom(ledger.periods[reservation.periodKey], reservation.userId, reservation.cost);
	const month = ledger.months[reservation.monthKey];
	if (!month) return;
	setMember(month, reservation.userId, (month.members[reservation.userId] ?? 0) - reservation.cost);
	month.unknown = (month.unknown ?? 0) + reservation.cost;
}

/**
 * Zeroes a period's usage except what running jobs hold, so their later return or settlement still adds up.
 * Returns the credits that stay counted for those jobs.
 */
export function resetPeriod(ledger: CreditLedger, periodKey: string, userId?: string): number {
	const usage = ledger.periods[periodKey];
	if (!usage) return 0;
	const stillHeld = new Map<string, number>();
	for (const reservation of heldJobs(ledger, userId)) {
		if (reservation.periodKey !== periodKey) continue;
		stillHeld.set(reservation.userId, (stillHeld.get(reservation.userId) ?? 0) + reservation.cost);
	}
	const resetMembers = userId === undefined ? Object.keys(usage.members) : [userId];
	for (const member of resetMembers) {
		const before = usage.members[member] ?? 0;
		const after = stillHeld.get(member) ?? 0;
		usage.total -= before - after;
		setMember(usage, member, after);
	}
	return [...stillHeld.values()].reduce((sum, credits) => sum + credits, 0);
}

export function dropExpiredWindows(ledger: CreditLedger, now: Date): void {
	const inUse = new Set(heldJobs(ledger).flatMap((reservation) => [reservation.periodKey, reservation.monthKey]));
	for (const windows of [ledger.periods, ledger.months]) {
		for (const [key, usage] of Object.entries(windows)) {
			if (usage.keepUntil <= now.getTime() && !inUse.has(key)) delete windows[key];
		}
	}
}

/** Undefined (kept) while jobs run; otherwise the record lives as long as its newest window. */
export function ledgerTtlMs(ledger: CreditLedger, now: Date): number | undefined {
	if (Object.keys(ledger.held).length > 0) return undefined;
	const windows = [...Object.values(ledger.periods), ...Object.values(ledger.months)];
	if (windows.length === 0) return undefined;
	return Math.max(1, Math.max(...windows.map((usage) => usage.keepUntil)) - now.getTime());
}

function addTo(
	windows: Record<string, WindowUsage>,
	key: string,
	keepUntil: number,
	userId: string,
	credits: number,
): WindowUsage {
	const usage = windows[key] ?? { total: 0, members: {}, keepUntil };
	usage.total += credits;
	usage.keepUntil = Math.max(usage.keepUntil, keepUntil);
	setMember(usage, userId, (usage.members[userId] ?? 0) + credits);
	windows[key] = usage;
	return usage;
}

function subtractFrom(usage: WindowUsage | undefined, userId: string, credits: number): void {
	if (!usage) return;
	usage.total -= credits;
	setMember(usage, userId, (usage.members[userId] ?? 0) - credits);
}

function setMember(usage: WindowUsage, userId: string, credits: number): void {
	if (credits > 0) usage.members[userId] = credits;
	else delete usage.members[userId];
}
