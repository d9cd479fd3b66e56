import type { CreditReservation } from '../../domain/job.js';

/** The credit side of a job's life; the quota service implements it. */
export interface JobCredits {
	/** `roleIds`: the member's roles as the interaction sent them, for role allowances. */
	reserve(request: {
		guildId: string;
		userId: string;
		roleIds: readonly string[];
		jobId: string;
		cost: number;
	}): Promise<CreditReservation>;
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
}
