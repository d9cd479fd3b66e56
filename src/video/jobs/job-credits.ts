import type { CreditReservation } from '../../domain/job.js';

/** A job waiting in its server's line, as the credits record it. */
interface LinePlace {
	jobId: string;
	userId: string;
	/** Epoch ms it joined the line. */
	since: number;
}

/** The credit side of a job's life; the quota service implements it. */
export interface JobCredits {
	/**
	 * Holds the job's credits and either a running slot or, when the member or the server runs as many jobs as they
	 * may, a place at the end of the server's line (`inLine`). `roleIds`: the member's roles as the interaction sent
	 * them, for role allowances.
	 */
	reserve(request: {
		guildId: string;
		userId: string;
		roleIds: readonly string[];
		jobId: string;
		cost: number;
	}): Promise<{ reservation: CreditReservation; inLine: boolean }>;
	/** True only the one time the credits are actually returned. */
	release(reservation: CreditReservation): Promise<boolean>;
	/**
	 * For a submit that may have created a task: the member gets the credits back, but the operator's caps keep
	 * counting them, since the provider may bill it. True only the one time it happens.
	 */
	releaseUnknown(reservation: CreditReservation): Promise<boolean>;
	/** True only the first time; settled credits never return. */
	settle(reservation: CreditReservation): Promise<boolean>;
	held(guildId: string): Promise<CreditReservation[]>;
	/** Takes the jobs whose turn has come out of the server's line, each with a running slot, in the order served. */
	takeTurns(guildId: string): Promise<string[]>;
	/** The server's line in the order it is served: the first is next. */
	line(guildId: string): Promise<LinePlace[]>;
}
