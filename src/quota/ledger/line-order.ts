/** A job waiting in its server's line: who asked, the ticket that says when, and the round it is served in. */
export interface WaitingJob {
	jobId: string;
	userId: string;
	ticket: number;
	round: number;
}

/** The running slots as they stand: the server's, and each member's. */
export interface RunningSlots {
	serverRunning: number;
	serverLimit: number;
	/** Running jobs per member; a member not named runs none. */
	memberRunning: ReadonlyMap<string, number>;
	memberLimit: number;
}

/**
 * What the line remembers besides who waits: the next ticket, the round being served, and the round each member's
 * next job would join in (only for members ahead of the line's round: the others join the current round).
 */
export interface LineClock {
	nextTicket: number;
	round: number;
	nextRounds: Readonly<Record<string, number>>;
}

export const NEW_LINE_CLOCK: LineClock = Object.freeze({ nextTicket: 1, round: 0, nextRounds: Object.freeze({}) });

/**
 * The ticket and round of a job joining the line now. A member's jobs in line take one round each, from the round
 * being served on, and a member served from the line joins the round after: so a member with three jobs waiting holds
 * one place per round, a member who asks again as soon as served does not pass those waiting since an earlier round,
 * and nobody joins a round already served.
 */
export function joining(clock: LineClock, userId: string): { ticket: number; round: number; clock: LineClock } {
	const round = Math.max(clock.round, clock.nextRounds[userId] ?? 0);
	return {
		ticket: clock.nextTicket,
		round,
		clock: { ...clock, nextTicket: clock.nextTicket + 1, nextRounds: { ...clock.nextRounds, [userId]: round + 1 } },
	};
}

/** The clock once these jobs have left the line for running slots: the line serves their round now. */
export function afterServing(clock: LineClock, served: readonly WaitingJob[]): LineClock {
	const round = Math.max(clock.round, ...served.map((job) => job.round));
	const nextRounds = Object.fromEntries(Object.entries(clock.nextRounds).filter(([, next]) => next > round));
	return { ...clock, round, nextRounds };
}

/** The server's line in the order it is served: round by round, and within a round first come, first served. */
export function fairOrder<T extends WaitingJob>(line: readonly T[]): T[] {
	return [...line].sort((a, b) => a.round - b.round || a.ticket - b.ticket);
}

/**
 * Who leaves the line now, in order: the fair order, while the server has a free slot, passing over a member who
 * already runs as many as they may (their turn keeps its place; it does not hold up the others).
 */
export function leavingNow<T extends WaitingJob>(line: readonly T[], slots: RunningSlots): T[] {
	let free = slots.serverLimit - slots.serverRunning;
	const running = new Map(slots.memberRunning);
	const leaving: T[] = [];
	for (const job of fairOrder(line)) {
		if (free <= 0) break;
		const member = running.get(job.userId) ?? 0;
		if (member >= slots.memberLimit) continue;
		leaving.push(job);
		running.set(job.userId, member + 1);
		free -= 1;
	}
	return leaving;
}
