import { afterEach, describe, expect, it } from 'vitest';
import type { QuotaPeriod } from '../src/domain/quota.js';
import { periodWindow } from '../src/quota/limits/periods.js';

function windowAt(period: QuotaPeriod, instant: string) {
	const { start, end, key } = periodWindow(period, new Date(instant));
	return { start: start.toISOString(), end: end.toISOString(), key };
}

describe('a day', () => {
	it('runs from midnight to midnight UTC', () => {
		expect(windowAt('day', '2026-11-26T13:45:10.123Z')).toEqual({
			start: '2026-11-26T00:00:00.000Z',
			end: '2026-11-27T00:00:00.000Z',
			key: 'day:2026-11-26',
		});
	});

	it('starts exactly at midnight and ends just before the next', () => {
		expect(windowAt('day', '2026-11-26T00:00:00.000Z').key).toBe('day:2026-11-26');
		expect(windowAt('day', '2026-11-25T23:59:59.999Z').key).toBe('day:2026-11-25');
	});

	it.each([
		['2024-02-28T12:00:00Z', 'day:2024-02-28', '2024-02-29T00:00:00.000Z'],
		['2024-02-29T23:59:59.999Z', 'day:2024-02-29', '2024-03-01T00:00:00.000Z'],
		['2026-02-28T23:59:59.999Z', 'day:2026-02-28', '2026-03-01T00:00:00.000Z'],
		['2100-02-28T08:00:00Z', 'day:2100-02-28', '2100-03-01T00:00:00.000Z'],
		['2000-02-28T08:00:00Z', 'day:2000-02-28', '2000-02-29T00:00:00.000Z'],
		['2026-12-31T23:59:59.999Z', 'day:2026-12-31', '2027-01-01T00:00:00.000Z'],
	])('at %s is %s, ending %s', (instant, key, end) => {
		expect(windowAt('day', instant)).toMatchObject({ key, end });
	});
});

describe('a month', () => {
	it('is the calendar month in UTC', () => {
		expect(windowAt('month', '2026-11-26T13:45:00Z')).toEqual({
			start: '2026-11-01T00:00:00.000Z',
			end: '2026-12-01T00:00:00.000Z',
			key: 'month:2026-11',
		});
	});

	it.each([
		['2026-01-31T23:59:59.999Z', 'month:2026-01', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
		['2024-02-29T23:59:59.999Z', 'month:2024-02', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
		['2026-02-28T23:59:59.999Z', 'month:2026-02', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
		['2026-04-30T12:00:00Z', 'month:2026-04', '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'],
		['2026-12-31T23:59:59.999Z', 'month:2026-12', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
		['2027-01-01T00:00:00.000Z', 'month:2027-01', '2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z'],
	])('at %s is %s', (instant, key, start, end) => {
		expect(windowAt('month', instant)).toEqual({ key, start, end });
	});
});

describe('a week', () => {
	it('is the ISO week, Monday 00:00 UTC to the next Monday', () => {
		expect(windowAt('week', '2026-11-26T13:45:00Z')).toEqual({
			start: '2026-11-23T00:00:00.000Z',
			end: '2026-11-30T00:00:00.000Z',
			key: 'week:2026-W48',
		});
	});

	it.each([
		['2026-12-31T12:00:00Z', 'week:2026-W53', '2026-12-28T00:00:00.000Z'],
		['2027-01-01T00:00:00Z', 'week:2026-W53', '2026-12-28T00:00:00.000Z'],
		['2027-01-03T23:59:59.999Z', 'week:2026-W53', '2026-12-28T00:00:00.000Z'],
		['2027-01-04T00:00:00Z', 'week:2027-W01', '2027-01-04T00:00:00.000Z'],
		['2026-01-01T00:00:00Z', 'week:2026-W01', '2025-12-29T00:00:00.000Z'],
		['2024-12-30T00:00:00Z', 'week:2025-W01', '2024-12-30T00:00:00.000Z'],
		['2019-12-30T10:00:00Z', 'week:2020-W01', '2019-12-30T00:00:00.000Z'],
		['2021-01-03T23:00:00Z', 'week:2020-W53', '2020-12-28T00:00:00.000Z'],
		['2023-01-01T12:00:00Z', 'week:2022-W52', '2022-12-26T00:00:00.000Z'],
		['2015-12-31T12:00:00Z', 'week:2015-W53', '2015-12-28T00:00:00.000Z'],
	])('at %s is %s, from %s', (instant, key, start) => {
		expect(windowAt('week', instant)).toMatchObject({ key, start });
	});

	it('ends exactly when the next starts', () => {
		expect(windowAt('week', '2026-11-29T23:59:59.999Z').key).toBe('week:2026-W48');
		expect(windowAt('week', '2026-11-30T00:00:00.000Z').key).toBe('week:2026-W49');
	});

	it('numbers every week of 2000 to 2040 in sequence, with 53 weeks in the long ISO years', () => {
		const longYears: number[] = [];
		let previous = periodWindow('week', new Date('2000-01-03T00:00:00Z'));
		expect(previous.key).toBe('week:2000-W01');
		for (let day = 1; day < 41 * 366; day++) {
			const now = new Date(Date.UTC(2000, 0, 3 + day, 12));
			const current = periodWindow('week', now);
			expect(current.start.getUTCDay()).toBe(1);
			expect(current.end.getTime() - current.start.getTime()).toBe(7 * 86_400_000);
			expect(current.start <= now && now < current.end).toBe(true);
			if (current.start.getTime() === previous.start.getTime()) {
				expect(current.key).toBe(previous.key);
				continue;
			}
			expect(current.start).toEqual(previous.end);
			const before = parseWeekKey(previous.key);
			const after = parseWeekKey(current.key);
			if (after.week === 1) {
				expect(after.year).toBe(before.year + 1);
				expect([52, 53]).toContain(before.week);
				if (before.week === 53) longYears.push(before.year);
			} else {
				expect(after).toEqual({ year: before.year, week: before.week + 1 });
			}
			previous = current;
		}
		expect(longYears.filter((year) => year <= 2040)).toEqual([2004, 2009, 2015, 2020, 2026, 2032, 2037]);
	});
});

function parseWeekKey(key: string): { year: number; week: number } {
	const match = /^week:(\d{4})-W(\d{2})$/.exec(key);
	expect(match, key).not.toBeNull();
	return { year: Number(match?.[1]), week: Number(match?.[2]) };
}

describe('the host time zone', () => {
	const originalTimeZone = process.env.TZ;
	afterEach(() => {
		if (originalTimeZone === undefined) delete process.env.TZ;
		else process.env.TZ = originalTimeZone;
	});

	it.each(['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Kolkata'])('%s changes nothing', (timeZone) => {
		process.env.TZ = timeZone;
		const lateEveningInCalifornia = '2026-12-31T23:30:00-08:00';
		expect(windowAt('day', lateEveningInCalifornia).key).toBe('day:2027-01-01');
		expect(windowAt('week', lateEveningInCalifornia).key).toBe('week:2026-W53');
		expect(windowAt('month', lateEveningInCalifornia)).toEqual({
			start: '2027-01-01T00:00:00.000Z',
			end: '2027-02-01T00:00:00.000Z',
			key: 'month:2027-01',
		});
	});
});
