/** What every server together spent in one calendar month: what the operator's monthly credit cap counts. */
interface MonthBill {
	total: number;
	/** Part of `total` from submits whose outcome is unknown. */
	unknown: number;
	/** Epoch ms after which the month is dropped. */
	keepUntil: number;
}

/** The operator's bill across every server, one record, by month key (`month:2026-11`). */
export interface OperatorBill {
	months: Record<string, MonthBill>;
}

export function emptyBill(): OperatorBill {
	return { months: {} };
}

export function billedIn(bill: OperatorBill, monthKey: string): number {
	return bill.months[monthKey]?.total ?? 0;
}

export function addToBill(bill: OperatorBill, monthKey: string, credits: number, keepUntil: number): void {
	const month = bill.months[monthKey] ?? { total: 0, unknown: 0, keepUntil };
	month.total += credits;
	month.keepUntil = Math.max(month.keepUntil, keepUntil);
	bill.months[monthKey] = month;
}

export function takeFromBill(bill: OperatorBill, monthKey: string, credits: number): void {
	const month = bill.months[monthKey];
	if (month) month.total -= credits;
}

/** The credits stay billed; they are only marked as possibly charged by the provider. */
export function markUnknown(bill: OperatorBill, monthKey: string, credits: number): void {
	const month = bill.months[monthKey];
	if (month) month.unknown += credits;
}

export function dropPastMonths(bill: OperatorBill, now: Date): void {
	for (const [key, month] of Object.entries(bill.months)) {
		if (month.keepUntil <= now.getTime()) delete bill.months[key];
	}
}
