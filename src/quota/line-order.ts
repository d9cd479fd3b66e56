/** A job waiting in its server's line: who asked, and the ticket that says when. */
export interface WaitingJob {
	jobId: string;
	userId: string;
	ticket: number;
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
 * The server's line in the order it is served: first come, first served, taken in rounds by member, so each member's
 * next job comes after every other member's earlier ones. A member with three jobs waiting holds one place per round,
 * and a member who asked once is not stuck behind all three.
 */
export function fairOrder<T extends WaitingJob>(line: readonly T[]): T[] {
	const rounds = new Map<string, number>();
	return [...line]
		.sort((a, b) => a.ticket - b.ticket)
		.map((job) => {
			const round = rounds.get(job.userId) ?? 0;
			rounds.set(job.userId, round + 1);
			return { job, round };
		})
		.sort((a, b) => a.round - b.round || a.job.ticket - b.job.ticket)
		.map(({ job }) => job);
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
