import type Keyv from 'keyv';
import type { Clock } from '../domain/clock.js';
import type { QuotaPeriod } from '../domain/quota.js';
import type { RecordLock } from '../storage/record-lock.js';
import {
	type CreditLedger,
	charge,
	dropExpiredWindows,
	dropHeld,
	heldJobs,
	joinLine,
	type LineEntry,
	lineClockOf,
	lineEntries,
	refund,
	refundUnknown,
	resetPeriod,
	runningByMember,
	runningJobs,
	serveTurns,
} from './ledger/credit-ledger.js';
import type { CreditReservation, ReservedCredits, ReserveRequest } from './ledger/credit-reservation.js';
import { fairOrder, joining, leavingNow } from './ledger/line-order.js';
import { addToBill, billedIn, dropPastMonths, markUnknown, takeFromBill } from './ledger/operator-bill.js';
import { assertBillFits, assertCreditsFit, assertMayWait, assertWithinCeiling } from './limits/quota-refusal.js';
import {
	billCapOf,
	type CreditSettings,
	defaultMemberLimitOf,
	type MemberIdentity,
	monthlyCapOf,
	type ServerLimitInput,
	serverLimitOf,
	settingCeilingOf,
} from './limits/quota-settings.js';
import { keepUntil, type MemberStanding, memberStanding, serverStanding } from './limits/quota-standing.js';
import { QuotaRecords } from './quota-records.js';
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
 * read-modify-write of a guild's records runs under that guild's lock, and of the bill under the bill's lock, always
 * taken inside a guild's lock and never the other way round, so no two tasks wait on each other. The lock is the
 * process's own on SQLite (one process), and PostgreSQL's advisory lock when several processes share the database
 * (see RecordLock), so the caps hold across processes too.
 *
 * The bill and a guild's ledger are two records: the bill is charged first and refunded last, so a crash between
 * the two writes can leave the bill too high (the cap binds early), never too low.
 */
export class QuotaService {
	readonly #records: QuotaRecords;

	constructor(
		keyv: Keyv,
		private readonly mutex: RecordLock,
		private readonly operator: CreditSettings,
		private readonly clock: Clock = Date.now,
	) {
		this.#records = new QuotaRecords(keyv);
	}

	/** Periods are calendar maths, so the clock's reading is taken as a date once per operation. */
	#now(): Date {
		return new Date(this.clock());
	}

	/**
	 * Holds the job's credits and a running slot, or, when the member or the server already runs as many jobs as they
	 * may (or others wait before it), a place at the end of the server's line. Throws a UserError naming the limit it
	 * would break: credits are checked the same either way, so a waiting job is charged as a running one.
	 */
	async reserve({ guildId, userId, roleIds, jobId, cost }: ReserveRequest): Promise<ReservedCredits> {
		if (!Number.isSafeInteger(cost) || cost < 0) throw new RangeError(`a job cannot cost ${cost} credits`);
		return this.#locked(guildId, async () => {
			const [settings, ledger] = await Promise.all([this.#records.settings(guildId), this.#records.ledger(guildId)]);
			const alreadyHeld = ledger.held[jobId];
			if (alreadyHeld) return { reservation: alreadyHeld, inLine: ledger.line?.[jobId] !== undefined };
			const now = this.#now();
			const standing = memberStanding(settings, ledger, this.operator, { userId, roleIds }, now);
			const joined = joining(lineClockOf(ledger), userId);
			const entry: LineEntry = { jobId, userId, ticket: joined.ticket, round: joined.round, since: now.getTime() };
			const inLine = !this.#startsNow(ledger, entry);
			if (inLine) assertMayWait(standing);
			assertCreditsFit(standing, cost);
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
			if (inLine) joinLine(ledger, entry, joined.clock);
			dropExpiredWindows(ledger, now);
			try {
				await this.#records.saveLedger(guildId, ledger, now);
			} catch (error) {
				// The ledger's fault is the one to report; a take-back that fails too leaves the bill high, never low.
				await this.#takeFromBill(reservation).catch(() => undefined);
				throw error;
			}
			return { reservation, inLine };
		});
	}

	/**
	 * A new job starts at once only if it would be among those to leave the line now were it at its end: so it never
	 * passes a job waiting before it, and with no line allowed, only the running limits decide.
	 */
	#startsNow(ledger: CreditLedger, candidate: LineEntry): boolean {
		const line = this.operator.maxQueuedPerMember > 0 ? lineEntries(ledger) : [];
		return leavingNow([...line, candidate], this.#slots(ledger)).some((job) => job.jobId === candidate.jobId);
	}

	#slots(ledger: CreditLedger) {
		return {
			serverRunning: runningJobs(ledger).length,
			serverLimit: this.operator.maxRunningPerServer,
			memberRunning: runningByMember(ledger),
			memberLimit: this.operator.maxRunningPerMember,
		};
	}

	/**
	 * Takes the jobs whose turn has come out of the server's line, in the order they are served, giving each a running
	 * slot (their credits stay held). The caller starts them; one it cannot start must still end, to free its slot.
	 */
	takeTurns(guildId: string): Promise<string[]> {
		return this.#locked(guildId, async () => {
			const ledger = await this.#records.ledger(guildId);
			const leaving = leavingNow(lineEntries(ledger), this.#slots(ledger));
			if (leaving.length === 0) return [];
			serveTurns(ledger, leaving);
			await this.#records.saveLedger(guildId, ledger, this.#now());
			return leaving.map(({ jobId }) => jobId);
		});
	}

	/** The server's line in the order it is served: the first is next. */
	async line(guildId: string): Promise<LineEntry[]> {
		return fairOrder(lineEntries(await this.#records.ledger(guildId)));
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
			dropHeld(ledger, jobId);
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
			dropHeld(ledger, jobId);
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
