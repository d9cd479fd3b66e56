import type { CreditReservation } from '../../domain/job.js';
import type { JobCredits } from './job-credits.js';

/**
 * The credits, telling the line whenever a job's hold ends: a running job's end frees a slot for the next in line, and
 * a waiting job's end moves everyone behind it up a place.
 */
export function slotFreeingCredits(credits: JobCredits, freed: (guildId: string) => void): JobCredits {
	const ending =
		(end: (reservation: CreditReservation) => Promise<boolean>) =>
		async (reservation: CreditReservation): Promise<boolean> => {
			const ended = await end(reservation);
			if (ended) freed(reservation.guildId);
			return ended;
		};
	return {
		reserve: (request) => credits.reserve(request),
		release: ending((reservation) => credits.release(reservation)),
		releaseUnknown: ending((reservation) => credits.releaseUnknown(reservation)),
		settle: ending((reservation) => credits.settle(reservation)),
		held: (guildId) => credits.held(guildId),
		takeTurns: (guildId) => credits.takeTurns(guildId),
		line: (guildId) => credits.line(guildId),
	};
}
