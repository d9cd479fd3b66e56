import { describe, expect, it } from 'vitest';
import {
	afterServing,
	fairOrder,
	joining,
	type LineClock,
	leavingNow,
	NEW_LINE_CLOCK,
	type RunningSlots,
	type WaitingJob,
} from '../src/quota/ledger/line-order.js';

/**
 * A server's line as the credit ledger keeps it, driven as the bot drives it: jobs join one after another, and each
 * time a slot frees, the jobs whose turn came leave it.
 */
class Line {
	waiting: WaitingJob[] = [];
	clock: LineClock = NEW_LINE_CLOCK;
	readonly served: string[] = [];
	#count = 0;

	constructor(
		private readonly slots: RunningSlots = {
			serverRunning: 0,
			serverLimit: 1,
			memberRunning: new Map(),
			memberLimit: 5,
		},
	) {}

	/** A job joins; it starts at once when it would be among those leaving now. */
	join(userId: string): string {
		const jobId = `${userId}${++this.#count}`;
		const joined = joining(this.clock, userId);
		const job = { jobId, userId, ticket: joined.ticket, round: joined.round };
		if (leavingNow([...this.waiting, job], this.slots).includes(job)) {
			this.served.push(jobId);
			this.slots.serverRunning += 1;
		} else {
			this.waiting.push(job);
			this.clock = joined.clock;
		}
		return jobId;
	}

	/** One running job ends and the line moves. */
	oneEnds(): string[] {
		this.slots.serverRunning -= 1;
		const leaving = leavingNow(this.waiting, this.slots);
		this.waiting = this.waiting.filter((job) => !leaving.includes(job));
		this.clock = afterServing(this.clock, leaving);
		this.slots.serverRunning += leaving.length;
		this.served.push(...leaving.map((job) => job.jobId));
		return leaving.map((job) => job.jobId);
	}

	order(): string[] {
		return fairOrder(this.waiting).map((job) => job.jobId);
	}

	drain(): string[] {
		while (this.waiting.length > 0) this.oneEnds();
		return this.served;
	}
}

describe('the order a server’s line is served in', () => {
	it('is first come, first served while every member waits once', () => {
		const line = new Line();
		line.join('ann');
		const waiting = [line.join('ben'), line.join('cat'), line.join('dan')];
		expect(line.order()).toEqual(waiting);
	});

	it('takes members in rounds: a member with three waiting does not keep another’s single job behind all three', () => {
		const line = new Line();
		line.join('ann');
		const [ann2, ann3, ann4] = [line.join('ann'), line.join('ann'), line.join('ann')];
		const ben1 = line.join('ben');
		expect(line.order()).toEqual([ann2, ben1, ann3, ann4]);
		expect(line.oneEnds()).toEqual([ann2]);
		expect(line.order()).toEqual([ben1, ann3, ann4]);
	});

	it('a member who asks again as soon as they are served does not pass a job waiting since an earlier round', () => {
		const line = new Line();
		line.join('ann');
		const ann2 = line.join('ann');
		const ann3 = line.join('ann');
		const ben1 = line.join('ben');
		expect(line.oneEnds()).toEqual([ann2]);
		expect(line.oneEnds()).toEqual([ben1]);
		const ben2 = line.join('ben');
		const cat1 = line.join('cat');
		// Cat has had nothing yet, so cat's first comes before the second of members already served.
		expect(line.order()).toEqual([cat1, ann3, ben2]);
	});

	it('a newcomer joins the round being served, behind those already waiting in it, never a round already served', () => {
		const line = new Line();
		line.join('ann');
		const [ann2, ann3, ben1, ben2] = [line.join('ann'), line.join('ann'), line.join('ben'), line.join('ben')];
		expect([line.oneEnds(), line.oneEnds(), line.oneEnds()].flat()).toEqual([ann2, ben1, ann3]);
		const cat1 = line.join('cat');
		expect(line.order()).toEqual([ben2, cat1]);
	});

	it('orders by round and ticket whatever order the line is read in', () => {
		const jobs: WaitingJob[] = [
			{ jobId: 'c', userId: 'x', ticket: 3, round: 1 },
			{ jobId: 'a', userId: 'y', ticket: 1, round: 0 },
			{ jobId: 'b', userId: 'z', ticket: 2, round: 0 },
		];
		expect(fairOrder(jobs).map((job) => job.jobId)).toEqual(['a', 'b', 'c']);
	});

	it('serves everyone exactly once, in an order a restart would repeat: the same tickets and rounds give the same order', () => {
		const line = new Line();
		line.join('ann');
		for (const member of ['ann', 'ann', 'ben', 'cat', 'ben', 'ann']) line.join(member);
		const before = line.order();
		const reread = [...line.waiting].reverse();
		expect(fairOrder(reread).map((job) => job.jobId)).toEqual(before);
		const served = line.drain();
		expect(served.slice(1)).toEqual(before);
		expect(new Set(served).size).toBe(7);
	});
});

describe('who leaves the line now', () => {
	const slots = (more: Partial<RunningSlots> = {}): RunningSlots => ({
		serverRunning: 0,
		serverLimit: 5,
		memberRunning: new Map(),
		memberLimit: 2,
		...more,
	});
	const job = (jobId: string, userId: string, ticket: number, round = 0): WaitingJob => ({
		jobId,
		userId,
		ticket,
		round,
	});

	it('is nobody from an empty line, or while the server runs all it may', () => {
		expect(leavingNow([], slots())).toEqual([]);
		expect(leavingNow([job('a', 'ann', 1)], slots({ serverRunning: 5 }))).toEqual([]);
	});

	it('is as many as the server has free slots, in the fair order', () => {
		const line = [job('c', 'cat', 3), job('a', 'ann', 1), job('b', 'ben', 2)];
		expect(leavingNow(line, slots({ serverRunning: 3 })).map((each) => each.jobId)).toEqual(['a', 'b']);
	});

	it('passes over a member at their own limit without holding up the members behind', () => {
		const line = [job('a', 'ann', 1), job('b', 'ben', 2)];
		const left = leavingNow(line, slots({ serverRunning: 2, memberRunning: new Map([['ann', 2]]) }));
		expect(left.map((each) => each.jobId)).toEqual(['b']);
	});

	it('counts the slots it hands out: a member gets no more than their own limit in one move', () => {
		const line = [job('a1', 'ann', 1), job('a2', 'ann', 2, 1), job('a3', 'ann', 3, 2), job('b1', 'ben', 4)];
		const left = leavingNow(line, slots({ serverLimit: 10 }));
		expect(left.map((each) => each.jobId)).toEqual(['a1', 'b1', 'a2']);
	});
});
