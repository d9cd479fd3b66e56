import type { QuotaPeriod } from '../../domain/quota.js';

export interface PeriodWindow {
	start: Date;
	/** Exclusive: the start of the next period. */
	end: Date;
	/** Stable and readable, for storage keys: `day:2026-11-26`, `week:2026-W48`, `month:2026-11`. */
	key: string;
}

const DAY_MS = 86_400_000;

/** The UTC calendar period containing `now`; weeks are ISO weeks (Monday first, numbered by their Thursday). */
export function periodWindow(period: QuotaPeriod, now: Date): PeriodWindow {
	const year = now.getUTCFullYear();
	const month = now.getUTCMonth();
	const day = now.getUTCDate();
	switch (period) {
		case 'day':
			return {
				start: new Date(Date.UTC(year, month, day)),
				end: new Date(Date.UTC(year, month, day + 1)),
				key: `day:${pad(year, 4)}-${pad(month + 1)}-${pad(day)}`,
			};
		case 'week': {
			const daysSinceMonday = (now.getUTCDay() + 6) % 7;
			const start = Date.UTC(year, month, day - daysSinceMonday);
			const { weekYear, week } = isoWeekOf(start);
			return {
				start: new Date(start),
				end: new Date(start + 7 * DAY_MS),
				key: `week:${pad(weekYear, 4)}-W${pad(week)}`,
			};
		}
		case 'month':
			return {
				start: new Date(Date.UTC(year, month, 1)),
				end: new Date(Date.UTC(year, month + 1, 1)),
				key: `month:${pad(year, 4)}-${pad(month + 1)}`,
			};
	}
}

function isoWeekOf(mondayMs: number): { weekYear: number; week: number } {
	const thursday = mondayMs + 3 * DAY_MS;
	const weekYear = new Date(thursday).getUTCFullYear();
	return { weekYear, week: 1 + Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS)) };
}

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}
