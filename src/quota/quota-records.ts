import type Keyv from 'keyv';
import { type CreditLedger, emptyLedger, ledgerTtlMs } from './credit-ledger.js';
import { emptyBill, type OperatorBill } from './operator-bill.js';
import { type GuildQuotaSettings, NO_GUILD_SETTINGS } from './quota-settings.js';

const settingsKey = (guildId: string) => `guild:${guildId}:quota`;
const ledgerKey = (guildId: string) => `guild:${guildId}:credits`;
const BILL_KEY = 'operator:credits';

/**
 * The two records a guild's quota lives in, and the operator's bill across guilds. Faults throw (the store has
 * `throwOnErrors`), and so do lost writes.
 */
export class QuotaRecords {
	constructor(private readonly keyv: Keyv) {}

	async settings(guildId: string): Promise<GuildQuotaSettings> {
		return (await this.keyv.get<GuildQuotaSettings>(settingsKey(guildId))) ?? NO_GUILD_SETTINGS;
	}

	async saveSettings(guildId: string, settings: GuildQuotaSettings): Promise<void> {
		await this.#set(settingsKey(guildId), settings);
	}

	async ledger(guildId: string): Promise<CreditLedger> {
		return (await this.keyv.get<CreditLedger>(ledgerKey(guildId))) ?? emptyLedger();
	}

	async saveLedger(guildId: string, ledger: CreditLedger, now: Date): Promise<void> {
		await this.#set(ledgerKey(guildId), ledger, ledgerTtlMs(ledger, now));
	}

	async bill(): Promise<OperatorBill> {
		return (await this.keyv.get<OperatorBill>(BILL_KEY)) ?? emptyBill();
	}

	async saveBill(bill: OperatorBill): Promise<void> {
		await this.#set(BILL_KEY, bill);
	}

	async #set(key: string, value: unknown, ttlMs?: number): Promise<void> {
		const saved = await this.keyv.set(key, value, ttlMs);
		if (!saved) throw new Error(`the store did not save ${key}`);
	}
}
