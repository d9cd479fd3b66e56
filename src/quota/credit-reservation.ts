export type { CreditReservation } from '../domain/job.js';

export interface ReserveRequest {
	guildId: string;
	userId: string;
	/** The member's roles from the interaction that asked, for role allowances. */
	roleIds: readonly string[];
	jobId: string;
	cost: number;
}
