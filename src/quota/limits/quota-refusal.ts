import { TimestampStyles, time } from 'discord.js';
import { UserError } from '../../domain/errors.js';
import type { PeriodWindow } from './periods.js';
import type { MemberStanding } from './quota-standing.js';

/**
 * Throws the refusal a member sees when the job cannot start now and may not wait either: the member's place in the
 * line is used up, or (with no line) the running limit it meets.
 */
export function assertMayWait(standing: MemberStanding): void {
	const { memberRunning, running, memberWaiting } = standing;
	if (memberWaiting.limit > 0) {
		if (memberWaiting.count < memberWaiting.limit) return;
		throw new UserError('quota.lineFull', { waiting: memberWaiting.count, limit: memberWaiting.limit });
	}
	if (memberRunning.count >= memberRunning.limit) {
		throw new UserError('quota.memberRunning', { running: memberRunning.count, limit: memberRunning.limit });
	}
	throw new UserError('quota.serverRunning', { running: running.count, limit: running.limit });
}

/** Throws the refusal a member sees when the job's credits do not fit; the first limit it breaks is the one named. */
export function assertCreditsFit(standing: MemberStanding, cost: number): void {
	const { member, server, monthlyCap } = standing;
	const left = { cost, memberLeft: standing.available, serverLeft: standing.serverAvailable };
	const periodResets = time(standing.periodWindow.end, TimestampStyles.RelativeTime);
	if (member.left !== null && cost > member.left) {
		throw new UserError('quota.memberLimitReached', { ...left, resetsAt: periodResets });
	}
	if (cost > server.left) throw new UserError('quota.serverLimitReached', { ...left, resetsAt: periodResets });
	if (monthlyCap.left !== null && cost > monthlyCap.left) {
		const monthResets = time(standing.monthWindow.end, TimestampStyles.RelativeTime);
		throw new UserError('quota.monthlyCapReached', { ...left, resetsAt: monthResets });
	}
}

/** Throws when the job would take every server together past the operator's monthly bill. */
export function assertBillFits(billed: number, cap: number | null, cost: number, month: PeriodWindow): void {
	if (cap === null || billed + cost <= cap) return;
	throw new UserError('quota.billCapReached', { cost, resetsAt: time(month.end, TimestampStyles.RelativeTime) });
}

/** Throws when an admin asks for a limit above what the operator's caps let a server spend in a month. */
export function assertWithinCeiling(credits: number, ceiling: number | null, option: string): void {
	if (ceiling !== null && credits > ceiling) throw new UserError('quota.aboveCap', { option, credits, cap: ceiling });
}
