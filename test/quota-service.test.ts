import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import { UserError } from '../src/domain/errors.js';
import { QuotaService } from '../src/quota/quota-service.js';
import { KeyedMutex } from '../src/storage/keyed-mutex.js';
import { openStore } from '../src/storage/store.js';

type CreditSettings = Config['credits'];

const OPERATOR_DEFAULTS: CreditSettings = {
	weights: { resolution: { '360p': 1, '540p': 1.4, '720p': 1.8, '1080p': 3.6 }, audioFactor: 1.3 },
	defaultServerCredits: 100,
	defaultServerPeriod: 'month',
	defaultMemberCredits: 0,
	serverMonthlyCap: 0,
	monthlyCreditCap: 0,
	maxRunningPerMember: 100,
	maxRunningPerServer: 100,
	maxQueuedPerMember: 0,
};

const GUILD = '100000000000000001';
const ALICE = '200000000000000001';
const BOB = '200000000000000002';
const CAROL = '200000000000000003';

const opened: Keyv[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map((keyv) => keyv.disconnect()));
});

function setUp(operator: Partial<CreditSettings> = {}, start = '2026-03-10T12:00:00Z') {
	const keyv = openStore('sqlite://:memory:');
	opened.push(keyv);
	const clock = { now: new Date(start) };
	const settings = { ...OPERATOR_DEFAULTS, ...operator };
	const quotas = new QuotaService(keyv, new KeyedMutex(), settings, () => clock.now.getTime());
	let jobs = 0;
	const reserve = async (userId: string, cost: number) =>
		(await quotas.reserve({ guildId: GUILD, userId, roleIds: [], jobId: `job-${++jobs}`, cost })).reservation;
	const restart = () => new QuotaService(keyv, new KeyedMutex(), settings, () => clock.now.getTime());
	return { keyv, clock, quotas, reserve, restart };
}

const relative = (iso: string) => `<t:${Date.parse(iso) / 1000}:R>`;

describe('a member within every limit', () => {
	it('gets a reservation that names the period and month it was charged in', async () => {
		const { quotas, reserve } = setUp();
		const reservation = await reserve(ALICE, 12);
		expect(reservation).toEqual({
			jobId: 'job-1',
			guildId: GUILD,
			userId: ALICE,
			cost: 12,
			periodKey: 'month:2026-03',
			monthKey: 'month:2026-03',
		});
		const usage = await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] });
		expect(usage.member).toEqual({ used: 12, limit: null, left: null });
		expect(usage.server).toMatchObject({ used: 12, limit: 100, left: 88, setByAdmins: false });
		expect(usage.available).toBe(88);
		expect(usage.memberRunning).toEqual({ count: 1, limit: 100 });
	});
});

describe('limits from each source', () => {
	it('a server that set nothing gets the operator’s default credits and period', async () => {
		const { reserve } = setUp({ defaultServerCredits: 100, defaultServerPeriod: 'day' });
		await reserve(ALICE, 60);
		await expect(reserve(BOB, 50)).rejects.toMatchObject({
			key: 'quota.serverLimitReached',
			params: { cost: 50, memberLeft: 40, serverLeft: 40, resetsAt: relative('2026-03-11T00:00:00Z') },
		});
		await expect(reserve(BOB, 40)).resolves.toMatchObject({ periodKey: 'day:2026-03-10' });
	});

	it('the server’s per_user binds every member on their own', async () => {
		const { quotas, reserve } = setUp();
		await quotas.setServerLimit(GUILD, { credits: 1000, period: 'week', perUser: 10 });
		await reserve(ALICE, 8);
		await expect(reserve(ALICE, 5)).rejects.toMatchObject({
			key: 'quota.memberLimitReached',
			params: { cost: 5, memberLeft: 2, serverLeft: 992, resetsAt: relative('2026-03-16T00:00:00Z') },
		});
		await expect(reserve(BOB, 10)).resolves.toMatchObject({ periodKey: 'week:2026-W11' });
	});

	it('a member’s own limit overrides per_user, and clearing it brings per_user back', async () => {
		const { quotas, reserve } = setUp();
		await quotas.setServerLimit(GUILD, { credits: 1000, period: 'month', perUser: 10 });
		await quotas.setMemberLimit(GUILD, ALICE, 30);
		await quotas.setMemberLimit(GUILD, BOB, 0);
		await reserve(ALICE, 25);
		await expect(reserve(BOB, 1)).rejects.toMatchObject({ key: 'quota.memberLimitReached' });
		expect(await quotas.clearMemberLimit(GUILD, ALICE)).toBe(true);
		expect(await quotas.clearMemberLimit(GUILD, ALICE)).toBe(false);
		await expect(reserve(ALICE, 1)).rejects.toMatchObject({
			key: 'quota.memberLimitReached',
			params: { memberLeft: 0 },
		});
	});

	it('a settings record saved before role allowances reads as having none, and keeps its own limits when one is added', async () => {
		const { keyv, quotas } = setUp();
		const BOOSTER = '400000000000000001';
		await keyv.set(`guild:${GUILD}:quota`, {
			schemaVersion: 2,
			server: { credits: 1000, period: 'month', perUser: 10 },
			memberLimits: { [BOB]: 3 },
		});
		const alice = { guildId: GUILD, userId: ALICE, roleIds: [BOOSTER] };
		expect(await quotas.usage(alice)).toMatchObject({ member: { limit: 10 }, memberLimitSource: { kind: 'per-user' } });
		await quotas.setRoleLimit(GUILD, BOOSTER, 40);
		expect(await quotas.usage(alice)).toMatchObject({
			member: { limit: 40 },
			memberLimitSource: { kind: 'role', roleId: BOOSTER },
		});
		expect(await quotas.usage({ guildId: GUILD, userId: BOB, roleIds: [BOOSTER] })).toMatchObject({
			member: { limit: 3 },
			memberLimitSource: { kind: 'own' },
		});
	});

	it('the operator’s default member limit applies when the server has no per_user', async () => {
		const { quotas, reserve } = setUp({ defaultMemberCredits: 5 });
		await quotas.setServerLimit(GUILD, { credits: 1000, period: 'month' });
		await reserve(ALICE, 5);
		await expect(reserve(ALICE, 1)).rejects.toMatchObject({ key: 'quota.memberLimitReached' });
		await quotas.setServerLimit(GUILD, { credits: 1000, period: 'month', perUser: 50 });
		await expect(reserve(ALICE, 40)).resolves.toMatchObject({ cost: 40 });
	});

	it('the operator’s monthly cap binds an admin’s higher limit over the calendar month', async () => {
		const { quotas, reserve, clock } = setUp({ serverMonthlyCap: 50 });
		const saved = await quotas.setServerLimit(GUILD, { credits: 40, period: 'day' });
		expect(saved.bindingMonthlyCap).toBe(50);
		await quotas.settle(await reserve(ALICE, 30));
		clock.now = new Date('2026-03-11T09:00:00Z');
		await expect(reserve(BOB, 30)).rejects.toMatchObject({
			key: 'quota.monthlyCapReached',
			params: { cost: 30, memberLeft: 20, serverLeft: 20, resetsAt: relative('2026-04-01T00:00:00Z') },
		});
		clock.now = new Date('2026-04-01T00:00:00Z');
		await expect(reserve(BOB, 30)).resolves.toMatchObject({ periodKey: 'day:2026-04-01', monthKey: 'month:2026-04' });
	});

	it('a limit above what the operator’s caps let a server spend in a month is refused and nothing is stored', async () => {
		const { quotas } = setUp({ serverMonthlyCap: 500, monthlyCreditCap: 300 });
		await quotas.setServerLimit(GUILD, { credits: 200, period: 'month', perUser: 20 });
		await expect(quotas.setServerLimit(GUILD, { credits: 301, period: 'day' })).rejects.toMatchObject({
			key: 'quota.aboveCap',
			params: { option: 'credits', credits: 301, cap: 300 },
		});
		await expect(quotas.setServerLimit(GUILD, { credits: 100, period: 'day', perUser: 301 })).rejects.toMatchObject({
			key: 'quota.aboveCap',
			params: { option: 'per_user' },
		});
		await expect(quotas.setMemberLimit(GUILD, ALICE, 301)).rejects.toMatchObject({ key: 'quota.aboveCap' });
		const summary = await quotas.summary(GUILD);
		expect(summary).toMatchObject({ server: { limit: 200 }, period: 'month', defaultMemberLimit: 20 });
		expect(summary.membersWithOwnLimit).toBe(0);
	});

	it('says nothing about the cap when the admins’ limit cannot reach it', async () => {
		const { quotas } = setUp({ serverMonthlyCap: 500 });
		expect(await quotas.setServerLimit(GUILD, { credits: 400, period: 'month' })).toEqual({
			defaultMemberLimit: null,
			bindingMonthlyCap: null,
		});
		expect((await quotas.setServerLimit(GUILD, { credits: 100, period: 'week' })).bindingMonthlyCap).toBe(500);
	});
});

describe('periods', () => {
	it('usage starts again in the next period, and a return lands in the period it was charged in', async () => {
		const { quotas, reserve, clock } = setUp();
		await quotas.setServerLimit(GUILD, { credits: 100, period: 'day' });
		clock.now = new Date('2026-03-10T23:59:00Z');
		const lateJob = await reserve(ALICE, 60);
		clock.now = new Date('2026-03-11T00:01:00Z');
		await reserve(ALICE, 100);
		expect(await quotas.release(lateJob)).toBe(true);
		const usage = await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] });
		expect(usage.server).toMatchObject({ used: 100, left: 0 });
		expect(usage.periodWindow.key).toBe('day:2026-03-11');
		expect(usage.monthlyCap.used).toBe(100);
	});

	it('usage records carry a TTL once no job runs, and old periods are dropped', async () => {
		const { keyv, quotas, reserve, clock } = setUp();
		await quotas.setServerLimit(GUILD, { credits: 100, period: 'day' });
		const job = await reserve(ALICE, 10);
		const expiry = async () => (await keyv.get(`guild:${GUILD}:credits`, { raw: true }))?.expires;
		expect(await expiry()).toBeUndefined();
		await quotas.settle(job);
		const lifetime = Date.parse('2026-04-03T00:00:00Z') - clock.now.getTime();
		expect(await expiry()).toBeGreaterThan(Date.now() + lifetime - 60_000);
		expect(await expiry()).toBeLessThanOrEqual(Date.now() + lifetime);

		clock.now = new Date('2026-03-20T12:00:00Z');
		await quotas.settle(await reserve(ALICE, 10));
		const ledger = await keyv.get<{ periods: Record<string, unknown> }>(`guild:${GUILD}:credits`);
		expect(Object.keys(ledger?.periods ?? {})).toEqual(['day:2026-03-20']);
	});
});

describe('returning and keeping credits', () => {
	it('a released job gives its credits back once, however often it is released', async () => {
		const { quotas, reserve } = setUp();
		const job = await reserve(ALICE, 40);
		expect(await quotas.release(job)).toBe(true);
		expect(await quotas.release(job)).toBe(false);
		const usage = await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] });
		expect(usage.server.used).toBe(0);
		expect(usage.running.count).toBe(0);
	});

	it('a settled job keeps its credits and is never returned afterwards, even after a restart', async () => {
		const { quotas, reserve, restart } = setUp();
		const job = await reserve(ALICE, 40);
		expect(await quotas.settle(job)).toBe(true);
		expect(await quotas.settle(job)).toBe(false);
		expect(await restart().release(job)).toBe(false);
		const usage = await restart().usage({ guildId: GUILD, userId: ALICE, roleIds: [] });
		expect(usage.server.used).toBe(40);
		expect(usage.memberRunning.count).toBe(0);
	});

	it('a job still running at a restart can be returned by the new process, once', async () => {
		const { reserve, restart } = setUp();
		const job = await reserve(ALICE, 40);
		const afterRestart = restart();
		expect(await afterRestart.release(job)).toBe(true);
		expect(await afterRestart.release(job)).toBe(false);
		expect((await afterRestart.usage({ guildId: GUILD, userId: ALICE, roleIds: [] })).server.used).toBe(0);
	});

	it('reserving the same job twice charges it once', async () => {
		const { quotas } = setUp();
		const request = { guildId: GUILD, userId: ALICE, roleIds: [], jobId: 'same-job', cost: 30 };
		const first = await quotas.reserve(request);
		expect(await quotas.reserve(request)).toEqual(first);
		expect((await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] })).server.used).toBe(30);
	});
});

describe('jobs running at once', () => {
	it('a member at their running limit is refused until one of their jobs ends', async () => {
		const { quotas, reserve } = setUp({ maxRunningPerMember: 2 });
		const first = await reserve(ALICE, 1);
		await reserve(ALICE, 1);
		await expect(reserve(ALICE, 1)).rejects.toMatchObject({
			key: 'quota.memberRunning',
			params: { running: 2, limit: 2 },
		});
		await reserve(BOB, 1);
		await quotas.settle(first);
		await expect(reserve(ALICE, 1)).resolves.toMatchObject({ userId: ALICE });
	});

	it('a server at its running limit refuses every member until a job ends', async () => {
		const { quotas, reserve } = setUp({ maxRunningPerMember: 2, maxRunningPerServer: 3 });
		const first = await reserve(ALICE, 1);
		await reserve(ALICE, 1);
		await reserve(BOB, 1);
		await expect(reserve(CAROL, 1)).rejects.toMatchObject({
			key: 'quota.serverRunning',
			params: { running: 3, limit: 3 },
		});
		await quotas.release(first);
		await expect(reserve(CAROL, 1)).resolves.toMatchObject({ userId: CAROL });
	});
});

describe('a line instead of a refusal', () => {
	function lineSetUp() {
		const setup = setUp({ maxRunningPerMember: 1, maxRunningPerServer: 2, maxQueuedPerMember: 2 });
		let jobs = 0;
		const ask = (userId: string, cost = 1) =>
			setup.quotas.reserve({ guildId: GUILD, userId, roleIds: [], jobId: `${userId.slice(-1)}-${++jobs}`, cost });
		return { ...setup, ask };
	}

	it('a member at their running limit waits in line, charged at once; past the line’s room they are refused', async () => {
		const { quotas, ask } = lineSetUp();
		expect(await ask(ALICE)).toMatchObject({ inLine: false });
		expect(await ask(ALICE)).toMatchObject({ inLine: true });
		expect(await ask(ALICE)).toMatchObject({ inLine: true });
		await expect(ask(ALICE)).rejects.toMatchObject({ key: 'quota.lineFull', params: { waiting: 2, limit: 2 } });
		const usage = await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] });
		expect(usage.member.used).toBe(3);
		expect(usage.memberRunning.count).toBe(1);
		expect(usage.memberWaiting.count).toBe(2);
	});

	it('a job that waits is refused for credits just as a running one would be', async () => {
		const { quotas, ask } = lineSetUp();
		await quotas.setServerLimit(GUILD, { credits: 10, period: 'month' });
		await ask(ALICE, 6);
		await expect(ask(ALICE, 6)).rejects.toMatchObject({ key: 'quota.serverLimitReached' });
		expect(await quotas.line(GUILD)).toEqual([]);
	});

	it('the line is served in order, passing over a member at their own limit without holding up the others', async () => {
		const { quotas, ask } = lineSetUp();
		const alice = await ask(ALICE);
		const aliceWaits = await ask(ALICE);
		const bob = await ask(BOB);
		expect([alice.inLine, aliceWaits.inLine, bob.inLine]).toEqual([false, true, false]);
		const carol = await ask(CAROL);
		expect(carol.inLine).toBe(true);
		expect((await quotas.line(GUILD)).map((place) => place.jobId)).toEqual([
			aliceWaits.reservation.jobId,
			carol.reservation.jobId,
		]);

		await quotas.settle(bob.reservation);
		expect(await quotas.takeTurns(GUILD)).toEqual([carol.reservation.jobId]);
		expect(await quotas.takeTurns(GUILD)).toEqual([]);
		await quotas.release(alice.reservation);
		expect(await quotas.takeTurns(GUILD)).toEqual([aliceWaits.reservation.jobId]);
		expect(await quotas.line(GUILD)).toEqual([]);
		expect((await quotas.summary(GUILD)).running.count).toBe(2);
	});

	it('the line, its order and its tickets are kept in the store: a restart serves it the same way', async () => {
		const { restart, ask, quotas } = lineSetUp();
		const first = await ask(ALICE);
		await ask(BOB);
		const waiting = [await ask(ALICE), await ask(ALICE), await ask(CAROL)];
		const before = (await quotas.line(GUILD)).map((place) => place.jobId);
		expect(before).toEqual([waiting[0], waiting[2], waiting[1]].map((reserved) => reserved?.reservation.jobId));
		const afterRestart = restart();
		expect((await afterRestart.line(GUILD)).map((place) => place.jobId)).toEqual(before);
		await afterRestart.release(first.reservation);
		expect(await afterRestart.takeTurns(GUILD)).toEqual([before[0]]);
	});

	it('a job that leaves while waiting leaves the line with its credits, and moves nobody into a slot', async () => {
		const { quotas, ask } = lineSetUp();
		await ask(ALICE);
		const waits = await ask(ALICE);
		expect(await quotas.release(waits.reservation)).toBe(true);
		expect(await quotas.line(GUILD)).toEqual([]);
		expect(await quotas.takeTurns(GUILD)).toEqual([]);
		expect((await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] })).member.used).toBe(1);
	});

	it('/quota show counts the line per member, with the oldest waiting', async () => {
		const { quotas, ask, clock } = lineSetUp();
		await ask(ALICE);
		await ask(ALICE);
		clock.now = new Date(clock.now.getTime() + 60_000);
		await ask(ALICE);
		await ask(BOB);
		await ask(BOB);
		const { line, running } = await quotas.summary(GUILD);
		expect(running.count).toBe(2);
		expect(line).toEqual({
			waiting: 3,
			limitPerMember: 2,
			oldestSince: Date.parse('2026-03-10T12:00:00Z'),
			members: [
				{ userId: ALICE, waiting: 2 },
				{ userId: BOB, waiting: 1 },
			],
		});
	});
});

describe('concurrency', () => {
	it('20 racing reservations for a limit that fits exactly 5 give exactly 5', async () => {
		const { quotas, reserve } = setUp();
		await quotas.setServerLimit(GUILD, { credits: 50, period: 'month' });
		const members = Array.from({ length: 20 }, (_, index) => `3000000000000000${String(index).padStart(2, '0')}`);
		const outcomes = await Promise.allSettled(members.map((userId) => reserve(userId, 10)));
		const granted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
		const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
		expect(granted).toHaveLength(5);
		expect(refused).toHaveLength(15);
		for (const reason of refused) {
			expect(reason).toBeInstanceOf(UserError);
			expect(reason).toMatchObject({ key: 'quota.serverLimitReached', params: { serverLeft: 0 } });
		}
		const summary = await quotas.summary(GUILD);
		expect(summary.server).toMatchObject({ used: 50, left: 0 });
		expect(summary.running.count).toBe(5);
	});
});

describe('the operator’s bill across every server', () => {
	const OTHER_GUILD = '100000000000000002';

	it('20 racing reservations from two servers stop exactly at the monthly credit cap, and a return frees room', async () => {
		const { quotas } = setUp({ monthlyCreditCap: 45, defaultServerCredits: 1000 });
		const outcomes = await Promise.allSettled(
			Array.from({ length: 20 }, (_, index) =>
				quotas.reserve({
					guildId: index % 2 === 0 ? GUILD : OTHER_GUILD,
					userId: ALICE,
					roleIds: [],
					jobId: `race-${index}`,
					cost: 10,
				}),
			),
		);
		const granted = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.reservation] : []));
		const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
		expect(granted).toHaveLength(4);
		for (const reason of refused) {
			expect(reason).toMatchObject({ key: 'quota.billCapReached', params: { cost: 10 } });
		}
		const used = async () =>
			(await quotas.summary(GUILD)).server.used + (await quotas.summary(OTHER_GUILD)).server.used;
		expect(await used()).toBe(40);

		const [first] = granted;
		if (!first) throw new Error('nothing was granted');
		await quotas.release(first);
		// 15 fits the 45 only because the 10 returned left the bill: 40 - 10 + 15.
		await expect(
			quotas.reserve({ guildId: OTHER_GUILD, userId: BOB, roleIds: [], jobId: 'after', cost: 15 }),
		).resolves.toMatchObject({ reservation: { guildId: OTHER_GUILD, cost: 15 } });
		await expect(
			quotas.reserve({ guildId: GUILD, userId: BOB, roleIds: [], jobId: 'over', cost: 1 }),
		).rejects.toMatchObject({
			key: 'quota.billCapReached',
		});
	});

	it('an unknown outcome returns the member’s credits once but keeps counting against both caps', async () => {
		const { quotas, reserve } = setUp({ serverMonthlyCap: 30, monthlyCreditCap: 1000 });
		const unknown = await reserve(ALICE, 20);
		expect(await quotas.releaseUnknown(unknown)).toBe(true);
		expect(await quotas.releaseUnknown(unknown)).toBe(false);
		expect(await quotas.release(unknown)).toBe(false);

		const usage = await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] });
		expect(usage.member.used).toBe(0);
		expect(usage.server.used).toBe(0);
		expect(usage.monthlyCap).toMatchObject({ used: 20, left: 10 });
		expect((await quotas.summary(GUILD)).unknownThisMonth).toBe(20);
		await expect(reserve(BOB, 11)).rejects.toMatchObject({ key: 'quota.monthlyCapReached' });
		await expect(reserve(BOB, 10)).resolves.toMatchObject({ cost: 10 });
	});
});

describe('admin reset and summary', () => {
	it('a reset zeroes the period but keeps running jobs’ credits and the operator’s monthly cap', async () => {
		const { quotas, reserve } = setUp({ serverMonthlyCap: 500 });
		await quotas.setServerLimit(GUILD, { credits: 100, period: 'week' });
		await quotas.settle(await reserve(ALICE, 30));
		const running = await reserve(BOB, 20);
		expect(await quotas.resetUsage(GUILD)).toEqual({ period: 'week', stillHeld: 20, monthlyCap: 500 });
		let usage = await quotas.usage({ guildId: GUILD, userId: BOB, roleIds: [] });
		expect(usage.server.used).toBe(20);
		expect(usage.monthlyCap.used).toBe(50);
		await quotas.release(running);
		usage = await quotas.usage({ guildId: GUILD, userId: BOB, roleIds: [] });
		expect(usage.server.used).toBe(0);
		expect(usage.monthlyCap.used).toBe(30);
	});

	it('a reset for one member lowers the server’s usage by theirs alone', async () => {
		const { quotas, reserve } = setUp();
		await quotas.settle(await reserve(ALICE, 30));
		await quotas.settle(await reserve(BOB, 20));
		expect((await quotas.resetUsage(GUILD, ALICE)).stillHeld).toBe(0);
		const usage = await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] });
		expect(usage.member.used).toBe(0);
		expect(usage.server.used).toBe(20);
	});

	it('the summary lists the heaviest users of the period with their limits', async () => {
		const { quotas, reserve } = setUp();
		await quotas.setServerLimit(GUILD, { credits: 500, period: 'month', perUser: 100 });
		await quotas.setMemberLimit(GUILD, CAROL, 200);
		await quotas.settle(await reserve(ALICE, 10));
		await quotas.settle(await reserve(BOB, 40));
		await quotas.settle(await reserve(CAROL, 150));
		const summary = await quotas.summary(GUILD);
		expect(summary.heaviestUsers).toEqual([
			{ userId: CAROL, used: 150, limit: 200 },
			{ userId: BOB, used: 40, limit: 100 },
			{ userId: ALICE, used: 10, limit: 100 },
		]);
		expect(summary).toMatchObject({ defaultMemberLimit: 100, membersWithOwnLimit: 1, period: 'month' });
	});
});

describe('a store fault fails closed', () => {
	function faultyStore() {
		const entries = new Map<string, unknown>();
		const failing = new Set<'get' | 'set'>();
		const fault = () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error'));
		const keyv = new Keyv({
			throwOnErrors: true,
			store: {
				get: async (key: string) => (failing.has('get') ? fault() : entries.get(key)),
				set: async (key: string, value: unknown) => (failing.has('set') ? fault() : void entries.set(key, value)),
				delete: async (key: string) => entries.delete(key),
				clear: async () => entries.clear(),
			},
		});
		return { quotas: new QuotaService(keyv, new KeyedMutex(), OPERATOR_DEFAULTS), failing };
	}
	const request = { guildId: GUILD, userId: ALICE, roleIds: [], jobId: 'j', cost: 1 };

	it('a store that cannot be read refuses the job instead of reading "0 used"', async () => {
		const { quotas, failing } = faultyStore();
		failing.add('get');
		const reservation = quotas.reserve(request);
		await expect(reservation).rejects.toThrow('disk I/O error');
		await expect(reservation).rejects.not.toBeInstanceOf(UserError);
	});

	it('a store that cannot be written refuses the job', async () => {
		const { quotas, failing } = faultyStore();
		failing.add('set');
		await expect(quotas.reserve(request)).rejects.toThrow('disk I/O error');
		failing.clear();
		expect((await quotas.usage({ guildId: GUILD, userId: ALICE, roleIds: [] })).server.used).toBe(0);
	});

	it('a job whose credits cannot be saved takes its charge back off the operator’s bill', async () => {
		const entries = new Map<string, unknown>();
		let refuseLedgers = true;
		const keyv = new Keyv({
			throwOnErrors: true,
			store: {
				get: async (key: string) => entries.get(key),
				set: async (key: string, value: unknown) => {
					if (refuseLedgers && key.includes(`guild:${GUILD}:credits`)) throw new Error('SQLITE_FULL: disk full');
					entries.set(key, value);
				},
				delete: async (key: string) => entries.delete(key),
				clear: async () => entries.clear(),
			},
		});
		const quotas = new QuotaService(keyv, new KeyedMutex(), { ...OPERATOR_DEFAULTS, monthlyCreditCap: 10 });
		await expect(quotas.reserve({ ...request, cost: 10 })).rejects.toThrow('disk full');
		refuseLedgers = false;
		await expect(quotas.reserve({ ...request, jobId: 'again', cost: 10 })).resolves.toMatchObject({
			reservation: { cost: 10 },
		});
	});

	it('a return that cannot be saved throws and can be tried again, still only once', async () => {
		const { quotas, failing } = faultyStore();
		const { reservation } = await quotas.reserve(request);
		failing.add('set');
		await expect(quotas.release(reservation)).rejects.toThrow('disk I/O error');
		failing.clear();
		expect(await quotas.release(reservation)).toBe(true);
		expect(await quotas.release(reservation)).toBe(false);
	});
});
