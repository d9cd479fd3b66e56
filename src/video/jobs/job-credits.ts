import type { CreditReservation } from '../../domain/job.js';

/** The credit side of a job's life; the quota service implements it. */
export interface JobCredits {
	reserve(request: { guildId: string; userId: string; jobId: string; cost: number }): Promise<CreditReservation>;
	release(reservation: CreditReservation): Promise<unknown>;
	settle(reservation: CreditReservation): Promise<unknown>;
	held(guildId: string): Promise<CreditReservation[]>;
}
