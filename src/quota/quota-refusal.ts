import { TimestampStyles, time } from 'discord.js';
import { UserError } from '../domain/errors.js';
import type { PeriodWindow } from './periods.js';
import type { MemberStanding } from './quota-standing.js';

/** Throws the refusal a member sees when the job does not fit; the first limit it breaks is the one named. */
export function assertJobFits(standing: MemberStanding, cost: number): void {
	const { memberRunning, running, member, server, monthlyCap } = standing;
	if (memberRunning.count >= memberRunning.limit) {
		throw new UserError('quota.memberRunning', { running: memberRunning.count, limit: memberRunning.limit });
	}
	if (running.count >= running.limit) {
		throw new UserError('quota.serverRunning', { running: running.count, limit: running.limit });
	}
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
