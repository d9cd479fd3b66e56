import type Keyv from 'keyv';
import type { Clock } from '../domain/clock.js';
import type { QuotaPeriod } from '../domain/quota.js';
import type { KeyedMutex } from '../storage/keyed-mutex.js';
import { charge, dropExpiredWindows, heldJobs, refund, refundUnknown, resetPeriod } from './credit-ledger.js';
import type { CreditReservation, ReserveRequest } from './credit-reservation.js';
import { addToBill, billedIn, dropPastMonths, markUnknown, takeFromBill } from './operator-bill.js';
import { QuotaRecords } from './quota-records.js';
import { assertBillFits, assertJobFits, assertWithinCeiling } from './quota-refusal.js';
import {
	billCapOf,
	type CreditSettings,
	defaultMemberLimitOf,
	type MemberIdentity,
	monthlyCapOf,
	type ServerLimitInput,
	serverLimitOf,
	settingCeilingOf,
} from './quota-settings.js';
import { keepUntil, type MemberStanding, memberStanding, serverStanding } from './quota-standing.js';
import { type QuotaSummary, quotaSummary } from './quota-summary.js';

export interface ServerLimitSaved {
	defaultMemberLimit: number | null;
	/** The operator's monthly cap (the tighter of the server's and the bill's), when it can bind before this limit. */
	bindingMonthlyCap: number | null;
}

export interface UsageReset {
	period: QuotaPeriod;
	/** Credits of running jobs, which stay counted until those jobs end. */
	stillHeld: number;
	/** The operator's monthly cap is never reset by admins. */
	monthlyCap: number | null;
}

// The most periods of each kind that can fall, at least in part, within one calendar month.
const PERIODS_TOUCHING_ONE_MONTH: Readonly<Record<QuotaPeriod, number>> = { day: 31, week: 6, month: 1 };
const HEAVIEST_USERS_SHOWN = 10;

/**
 * Credits per guild and member, and the operator's bill across guilds. Keyv has no compare-and-set, so every
 * read-modify-write of a guild's records runs under that guild's lock in this process, and of the bill under the
 * bill's lock, always taken inside a guild's lock and never the other way round, so no two tasks wait on each
 * other. That is sound because every interaction reaches this one process. Several processes sharing the store
 * would need either a single writer (one process owns the quota records and the others ask it) or a store with
 * atomic compare-and-set or transactions (e.g. a SQL `UPDATE … WHERE` on the ledger rows, or Redis WATCH/MULTI),
 * retrying on conflict; an in-process lock alone would let them overspend.
 *
 * The bill and a guild's ledger are two records: the bill is charged first and refunded last, so a crash between
 * the two writes can leave the bill too high (the cap binds early), never too low.
 */
export class QuotaService {
	readonly #records: QuotaRecords;

	constructor(
		keyv: Keyv,
		private readonly mutex: KeyedMutex,
		private readonly operator: CreditSettings,
		private readonly clock: Clock = Date.now,
	) {
		this.#records = new QuotaRecords(keyv);
	}

	/** Periods are calendar maths, so the clock's reading is taken as a date once per operation. */
	#now(): Date {
		return new Date(this.clock());
	}

	/** Holds the job's credits and a running slot, or throws a UserError naming the limit it would break. */
	async reserve({ guildId, userId, roleIds, jobId, cost }: ReserveRequest): Promise<CreditReservation> {
		if (!Number.isSafeInteger(cost) || cost < 0) throw new RangeError(`a job cannot cost ${cost} credits`);
		return this.#locked(guildId, async () => {
			const [settings, ledger] = await Promise.all([this.#records.settings(guildId), this.#records.ledger(guildId)]);
			const alreadyHeld = ledger.held[jobId];
			if (alreadyHeld) return alreadyHeld;
			const now = this.#now();
			const standing = memberStanding(settings, ledger, this.operator, { userId, roleIds }, now);
			assertJobFits(standing, cost);
			const reservation: CreditReservation = {
				jobId,
				guildId,
				userId,
				cost,
				periodKey: standing.periodWindow.key,
				monthKey: standing.monthWindow.key,
			};
			await this.#billLocked(async () => {
				const bill = await this.#records.bill();
				assertBillFits(billedIn(bill, reservation.monthKey), billCapOf(this.operator), cost, standing.monthWindow);
				addToBill(bill, reservation.monthKey, cost, keepUntil(standing.monthWindow));
				dropPastMonths(bill, now);
				await this.#records.saveBill(bill);
			});
			const windowsKeptUntil = { period: keepUntil(standing.periodWindow), month: keepUntil(standing.monthWindow) };
			charge(ledger, reservation, windowsKeptUntil, roleIds);
			dropExpiredWindows(ledger, now);
			try {
				await this.#records.saveLedger(guildId, ledger, now);
			} catch (error) {
				// The ledger's fault is the one to report; a take-back that fails too leaves the bill high, never low.
				await this.#takeFromBill(reservation).catch(() => undefined);
				throw error;
			}
			return reservation;
		});
	}

	/** Gives the credits back (failure, refusal, time-out). True only the one time they are actually returned. */
	release(reservation: CreditReservation): Promise<boolean> {
		return this.#endJob(reservation, true);
	}

	/**
	 * A submit that may have created a task: the member gets the credits back, but the server's monthly cap and the
	 * operator's bill keep counting them, since the provider may charge for it. True only the first time.
	 */
	releaseUnknown({ guildId, jobId }: CreditReservation): Promise<boolean> {
		return this.#locked(guildId, async () => {
			const ledger = await this.#records.ledger(guildId);
			const held = ledger.held[jobId];
			if (!held) return false;
			refundUnknown(ledger, held);
			delete ledger.held[jobId];
			await this.#records.saveLedger(guildId, ledger, this.#now());
			await this.#billLocked(async () => {
				const bill = await this.#records.bill();
				markUnknown(bill, held.monthKey, held.cost);
				await this.#records.saveBill(bill);
			});
			return true;
		});
	}

	/** Keeps a delivered job's credits and frees its slot; true only the first time. Settled credits never return. */
	settle(reservation: CreditReservation): Promise<boolean> {
		return this.#endJob(reservation, false);
	}

	/** Every reservation still held in the guild, for finding ones whose job was never stored. */
	async held(guildId: string): Promise<CreditReservation[]> {
		return heldJobs(await this.#records.ledger(guildId));
	}

	async usage({ guildId, ...member }: MemberIdentity & { guildId: string }): Promise<MemberStanding> {
		const [settings, ledger] = await Promise.all([this.#records.settings(guildId), this.#records.ledger(guildId)]);
		return memberStanding(settings, ledger, this.operator, member, this.#now());
	}

	async summary(guildId: string): Promise<QuotaSummary> {
		const [settings, ledger] = await Promise.all([this.#records.settings(guildId), this.#records.ledger(guildId)]);
		return quotaSummary(settings, ledger, this.operator, this.#now(), HEAVIEST_USERS_SHOWN);
	}

	/** Refuses, storing nothing, a limit above what the operator's caps let a server spend in a month. */
	async setServerLimit(guildId: string, limit: ServerLimitInput): Promise<ServerLimitSaved> {
		const ceiling = settingCeilingOf(this.operator);
		assertWithinCeiling(limit.credits, ceiling, 'credits');
		if (limit.perUser !== undefined) assertWithinCeiling(limit.perUser, ceiling, 'per_user');
		return this.#locked(guildId, async () => {
			const settings = { ...(await this.#records.settings(guildId)), server: limit };
			await this.#records.saveSettings(guildId, settings);
			const mostInOneMonth = limit.credits * PERIODS_TOUCHING_ONE_MONTH[limit.period];
			return {
				defaultMemberLimit: defaultMemberLimitOf(settings, this.operator),
				bindingMonthlyCap: ceiling !== null && mostInOneMonth > ceiling ? ceiling : null,
			};
		});
	}

	/** Returns the server's period, which the member's limit counts in. */
	async setMemberLimit(guildId: string, userId: string, credits: number): Promise<QuotaPeriod> {
		assertWithinCeiling(credits, settingCeilingOf(this.operator), 'credits');
		return this.#locked(guildId, async () => {
			const settings = await this.#records.settings(guildId);
			const memberLimits = { ...settings.memberLimits, [userId]: credits };
			await this.#records.saveSettings(guildId, { ...settings, memberLimits });
			return serverLimitOf(settings, this.operator).period;
		});
	}

	/** False when the member had no limit of their own. */
	clearMemberLimit(guildId: string, userId: string): Promise<boolean> {
		return this.#locked(guildId, async () => {
			const settings = await this.#records.settings(guildId);
			if (settings.memberLimits[userId] === undefined) return false;
			const memberLimits = { ...settings.memberLimits };
			delete memberLimits[userId];
			await this.#records.saveSettings(guildId, { ...settings, memberLimits });
			return true;
		});
	}

	/** Members holding the role get this limit instead of `per_user`; returns the server's period it counts in. */
	async setRoleLimit(guildId: string, roleId: string, credits: number): Promise<QuotaPeriod> {
		assertWithinCeiling(credits, settingCeilingOf(this.operator), 'credits');
		return this.#locked(guildId, async () => {
			const settings = await this.#records.settings(guildId);
			const roleLimits = { ...settings.roleLimits, [roleId]: credits };
			await this.#records.saveSettings(guildId, { ...settings, roleLimits });
			return serverLimitOf(settings, this.operator).period;
		});
	}

	/** False when the role had no allowance. */
	clearRoleLimit(guildId: string, roleId: string): Promise<boolean> {
		return this.#locked(guildId, async () => {
			const settings = await this.#records.settings(guildId);
			if (settings.roleLimits[roleId] === undefined) return false;
			const roleLimits = { ...settings.roleLimits };
			delete roleLimits[roleId];
			await this.#records.saveSettings(guildId, { ...settings, roleLimits });
			return true;
		});
	}

	/** Zeroes this period's usage for the server or one member. */
	resetUsage(guildId: string, userId?: string): Promise<UsageReset> {
		return this.#locked(guildId, async () => {
			const [settings, ledger] = await Promise.all([this.#records.settings(guildId), this.#records.ledger(guildId)]);
			const now = this.#now();
			const { period, periodWindow } = serverStanding(settings, ledger, this.operator, now);
			const stillHeld = resetPeriod(ledger, periodWindow.key, userId);
			await this.#records.saveLedger(guildId, ledger, now);
			return { period, stillHeld, monthlyCap: monthlyCapOf(this.operator) };
		});
	}

	#endJob({ guildId, jobId }: CreditReservation, returnCredits: boolean): Promise<boolean> {
		return this.#locked(guildId, async () => {
			const ledger = await this.#records.ledger(guildId);
			const held = ledger.held[jobId];
			if (!held) return false;
			if (returnCredits) refund(ledger, held);
			delete ledger.held[jobId];
			await this.#records.saveLedger(guildId, ledger, this.#now());
			if (returnCredits) await this.#takeFromBill(held);
			return true;
		});
	}

	#takeFromBill(reservation: CreditReservation): Promise<void> {
		return this.#billLocked(async () => {
			const bill = await this.#records.bill();
			takeFromBill(bill, reservation.monthKey, reservation.cost);
			await this.#records.saveBill(bill);
		});
	}

	#locked<T>(guildId: string, task: () => Promise<T>): Promise<T> {
		return this.mutex.run(`quota:${guildId}`, task);
	}

	/** Only ever taken inside a guild's lock (see the class comment). */
	#billLocked<T>(task: () => Promise<T>): Promise<T> {
		return this.mutex.run('quota:operator-bill', task);
	}
}
