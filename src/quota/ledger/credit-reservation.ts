import type { CreditReservation } from '../../domain/job.js';

export type { CreditReservation };

export interface ReserveRequest {
	guildId: string;
	userId: string;
	/** The member's roles from the interaction that asked, for role allowances. */
	roleIds: readonly string[];
	jobId: string;
	cost: number;
}

export interface ReservedCredits {
	reservation: CreditReservation;
	/** True when the job waits in the server's line for a running slot; false when it may start now. */
	inLine: boolean;
}
