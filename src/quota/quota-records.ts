import type Keyv from 'keyv';
import { z } from 'zod';
import { creditReservationSchema } from '../domain/job-schema.js';
import { QUOTA_PERIODS } from '../domain/quota.js';
import {
	copyToQuarantine,
	type RecordFormat,
	readRecord,
	stamped,
	UnreadableRecordError,
} from '../storage/stored-record.js';
import { type CreditLedger, emptyLedger, ledgerTtlMs } from './ledger/credit-ledger.js';
import { emptyBill, type OperatorBill } from './ledger/operator-bill.js';
import { type GuildQuotaSettings, NO_GUILD_SETTINGS } from './limits/quota-settings.js';

const settingsKey = (guildId: string) => `guild:${guildId}:quota`;
const ledgerKey = (guildId: string) => `guild:${guildId}:credits`;
const BILL_KEY = 'operator:credits';

const credits = z.number().int().nonnegative();

const SETTINGS_FORMAT: RecordFormat<GuildQuotaSettings> = {
	schema: z.looseObject({
		server: z.looseObject({ credits, period: z.enum(QUOTA_PERIODS), perUser: credits.exactOptional() }).exactOptional(),
		memberLimits: z.record(z.string(), credits),
		// Role allowances came later within version 2: a record without them has none, and a bot from before
		// keeps them untouched (loose objects), so a rollback neither loses them nor refuses the server.
		roleLimits: z.record(z.string(), credits).default({}),
	}) satisfies z.ZodType<GuildQuotaSettings>,
	version: 2,
	// Version 2 began stamping the version; its fields are those of version 1.
	upgrades: { 1: (record) => record },
};

const windowUsage = z.looseObject({
	total: z.number(),
	members: z.record(z.string(), z.number()),
	memberRoles: z.record(z.string(), z.array(z.string())).exactOptional(),
	keepUntil: z.number(),
	unknown: z.number().exactOptional(),
});

const LEDGER_FORMAT: RecordFormat<CreditLedger> = {
	schema: z.looseObject({
		held: z.record(z.string(), creditReservationSchema),
		line: z
			.record(
				z.string(),
				z.looseObject({
					userId: z.string().min(1),
					ticket: z.number().int().positive(),
					round: z.number().int().nonnegative(),
					since: z.number(),
				}),
			)
			.exactOptional(),
		lineClock: z
			.looseObject({
				nextTicket: z.number().int().positive(),
				round: z.number().int().nonnegative(),
				nextRounds: z.record(z.string(), z.number().int().nonnegative()),
			})
			.exactOptional(),
		periods: z.record(z.string(), windowUsage),
		months: z.record(z.string(), windowUsage),
	}) satisfies z.ZodType<CreditLedger>,
	version: 2,
	upgrades: { 1: (record) => record },
};

const BILL_FORMAT: RecordFormat<OperatorBill> = {
	schema: z.looseObject({
		months: z.record(z.string(), z.looseObject({ total: z.number(), unknown: z.number(), keepUntil: z.number() })),
	}) satisfies z.ZodType<OperatorBill>,
	version: 2,
	upgrades: { 1: (record) => record },
};

/**
 * The two records a guild's quota lives in, and the operator's bill across guilds. Faults throw (the store has `throwOnErrors`), and so do lost writes. A
 * record that fails validation throws too, so the guild fails closed (nothing is spent) instead of reading as "0
 * used"; it stays where it is, with a copy under `quarantine:<key>`, until the operator fixes or deletes it.
 */
export class QuotaRecords {
	constructor(private readonly keyv: Keyv) {}

	async settings(guildId: string): Promise<GuildQuotaSettings> {
		return (await this.#read(settingsKey(guildId), SETTINGS_FORMAT)) ?? NO_GUILD_SETTINGS;
	}

	async saveSettings(guildId: string, settings: GuildQuotaSettings): Promise<void> {
		await this.#set(settingsKey(guildId), stamped(SETTINGS_FORMAT, settings));
	}

	async ledger(guildId: string): Promise<CreditLedger> {
		return (await this.#read(ledgerKey(guildId), LEDGER_FORMAT)) ?? emptyLedger();
	}

	async saveLedger(guildId: string, ledger: CreditLedger, now: Date): Promise<void> {
		await this.#set(ledgerKey(guildId), stamped(LEDGER_FORMAT, ledger), ledgerTtlMs(ledger, now));
	}

	async #read<T>(key: string, format: RecordFormat<T>): Promise<T | undefined> {
		const stored: unknown = await this.keyv.get(key);
		if (stored === undefined || stored === null) return undefined;
		const reading = readRecord(format, stored);
		if (reading.ok) return reading.value;
		const quarantinedAs = await copyToQuarantine(this.keyv, key, stored, reading.problem);
		throw new UnreadableRecordError(key, quarantinedAs, reading.problem);
	}

	async bill(): Promise<OperatorBill> {
		return (await this.#read(BILL_KEY, BILL_FORMAT)) ?? emptyBill();
	}

	async saveBill(bill: OperatorBill): Promise<void> {
		await this.#set(BILL_KEY, stamped(BILL_FORMAT, bill));
	}

	async #set(key: string, value: unknown, ttlMs?: number): Promise<void> {
		const saved = await this.keyv.set(key, value, ttlMs);
		if (!saved) throw new Error(`the store did not save ${key}`);
	}
}
