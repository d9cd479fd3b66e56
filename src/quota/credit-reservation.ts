export type { CreditReservation } from '../domain/job.js';

export interface ReserveRequest {
	guildId: string;
	userId: string;
	jobId: string;
	cost: number;
}
