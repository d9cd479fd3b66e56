import { describe, expect, it } from 'vitest';
import { fairOrder, leavingNow, type RunningSlots, type WaitingJob } from '../src/quota/line-order.js';

let tickets = 0;
const waiting = (userId: string, jobId = `${userId}${tickets + 1}`): WaitingJob => ({
	jobId,
	userId,
	ticket: ++tickets,
});
const ids = (jobs: readonly WaitingJob[]) => jobs.map((job) => job.jobId);

function slots(more: Partial<RunningSlots> = {}): RunningSlots {
	return { serverRunning: 0, serverLimit: 5, memberRunning: new Map(), memberLimit: 2, ...more };
}

describe('the order a server’s line is served in', () => {
	it('is first come, first served when every member waits once', () => {
		const line = [waiting('a'), waiting('b'), waiting('c')];
		expect(ids(fairOrder(line))).toEqual(ids(line));
	});

	it('takes members in rounds: a member with three waiting does not keep another’s single job behind all three', () => {
		const [a1, a2, a3, b1] = [waiting('a'), waiting('a'), waiting('a'), waiting('b')];
		expect(ids(fairOrder([a1, a2, a3, b1]))).toEqual([a1.jobId, b1.jobId, a2.jobId, a3.jobId]);
	});

	it('orders each round by who came first, whatever order the line is read in', () => {
		const [a1, b1, a2, c1, b2] = [waiting('a'), waiting('b'), waiting('a'), waiting('c'), waiting('b')];
		const line = [b2, c1, a2, b1, a1];
		expect(ids(fairOrder(line))).toEqual([a1.jobId, b1.jobId, c1.jobId, a2.jobId, b2.jobId]);
	});

	it('is empty for an empty line', () => {
		expect(fairOrder([])).toEqual([]);
		expect(leavingNow([], slots())).toEqual([]);
	});
});

describe('who leaves the line now', () => {
	it('as many as the server has free slots, in the fair order', () => {
		const line = [waiting('a'), waiting('a'), waiting('b'), waiting('c')];
		expect(ids(leavingNow(line, slots({ serverRunning: 3, serverLimit: 5 })))).toEqual(
			ids(fairOrder(line)).slice(0, 2),
		);
	});

	it('nobody while the server runs all it may', () => {
		expect(leavingNow([waiting('a'), waiting('b')], slots({ serverRunning: 5, serverLimit: 5 }))).toEqual([]);
	});

	it('passes over a member at their own limit without holding up the members behind', () => {
		const [a1, b1] = [waiting('a'), waiting('b')];
		const line = [a1, b1];
		const left = leavingNow(line, slots({ serverRunning: 2, memberRunning: new Map([['a', 2]]) }));
		expect(ids(left)).toEqual([b1.jobId]);
	});

	it('counts the slots it hands out: a member is given no more than their own limit in one move', () => {
		const line = [waiting('a'), waiting('a'), waiting('a'), waiting('b')];
		const left = leavingNow(line, slots({ serverRunning: 0, serverLimit: 10, memberLimit: 2 }));
		expect(left.filter((job) => job.userId === 'a')).toHaveLength(2);
		expect(left.filter((job) => job.userId === 'b')).toHaveLength(1);
	});

	it('a newcomer at the end of the line starts only if its turn would come now', () => {
		const first = waiting('a');
		const newcomer = waiting('b');
		expect(ids(leavingNow([first, newcomer], slots({ serverRunning: 4, serverLimit: 5 })))).toEqual([first.jobId]);
		expect(ids(leavingNow([first, newcomer], slots({ serverRunning: 3, serverLimit: 5 })))).toEqual([
			first.jobId,
			newcomer.jobId,
		]);
		const blocked = slots({ serverRunning: 4, serverLimit: 5, memberRunning: new Map([['a', 2]]) });
		expect(ids(leavingNow([first, newcomer], blocked))).toEqual([newcomer.jobId]);
	});
});
