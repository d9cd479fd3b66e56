import type { JobKind } from './finish-distribution.js';

/** Polls fall on a grid this fine; a finer one moves the oracle's p95 by less than the grid itself. */
const GRID_MS = 100;
/** The p95: at most this share of detections may wait longer than the figure. */
const LATE_SHARE = 0.05;
const PRICE_SEARCH_STEPS = 40;
/** Halving the range of waits this often pins the p95 to well under a millisecond. */
const WAIT_SEARCH_STEPS = 16;

/**
 * The rules the bot's poller keeps, which the oracle may be held to as well: one job's queries at least `minGapMs`
 * and at most `maxGapMs` apart (POLL_MIN/MAX_INTERVAL_MS), the first one `firstPollMs` after submit (JobService).
 */
export interface PollRules {
	minGapMs: number;
	maxGapMs: number;
	firstPollMs: number;
}

/** No rule at all: any poll time, as many or as few as the oracle likes. */
const FREE: PollRules = { minGapMs: GRID_MS, maxGapMs: Number.POSITIVE_INFINITY, firstPollMs: 0 };

interface Plan {
	/** Expected status queries per job. */
	queries: number;
	/** The chance that a job's detection waits longer than allowed. */
	late: number;
}

/** The smallest value among the indices pushed and not yet expired; indices are pushed in decreasing order. */
class SlidingMinimum {
	readonly #indices: number[] = [];
	readonly #values: number[] = [];
	#head = 0;

	push(index: number, value: number): void {
		while (this.#indices.length > this.#head && (this.#values[this.#values.length - 1] ?? 0) >= value) {
			this.#indices.pop();
			this.#values.pop();
		}
		this.#indices.push(index);
		this.#values.push(value);
	}

	expireAbove(limit: number): void {
		while (this.#head < this.#indices.length && (this.#indices[this.#head] ?? 0) > limit) this.#head++;
	}

	get best(): { index: number; value: number } | undefined {
		const index = this.#indices[this.#head];
		return index === undefined ? undefined : { index, value: this.#values[this.#head] ?? 0 };
	}
}

/** One kind of job on the grid: the chance it is done by each grid time, and by each grid time less the allowance. */
interface Grid {
	share: number;
	done: Float64Array;
	doneLate: Float64Array;
}

const doneBy = (kind: JobKind, lessMs: number) =>
	Float64Array.from({ length: Math.ceil(kind.finish.endMs / GRID_MS) + 1 }, (_, k) =>
		kind.finish.cdf(k * GRID_MS - lessMs),
	);

const grid = (kind: JobKind, allowedMs: number): Grid => ({
	share: kind.share,
	done: doneBy(kind, 0),
	doneLate: doneBy(kind, allowedMs),
});

/**
 * The schedule of one kind of job minimising `queries + price × late`, by dynamic programming over the time of the
 * last poll: from a poll at t_k the next one at t_j costs one query for every job still running at t_k, and every job
 * finishing in (t_k, t_j − allowed) is late. The best next poll within the allowance (nobody late) and the best one
 * beyond it are each a sliding-window minimum, so the whole plan takes linear time.
 */
function cheapestPlan({ done, doneLate }: Grid, allowedMs: number, price: number, rules: PollRules): Plan {
	const last = done.length - 1;
	const reach = Math.floor(allowedMs / GRID_MS);
	const shortest = Math.max(1, Math.round(rules.minGapMs / GRID_MS));
	const longest = Math.floor(rules.maxGapMs / GRID_MS);
	const cost = new Float64Array(last + 1);
	const queries = new Float64Array(last + 1);
	const late = new Float64Array(last + 1);
	const onTime = new SlidingMinimum();
	const beyond = new SlidingMinimum();
	const lateFrom = (k: number, j: number) => (j > k + reach ? (doneLate[j] ?? 0) - (done[k] ?? 0) : 0);
	for (let k = last - 1; k >= 0; k--) {
		const near = k + shortest;
		if (near <= last) onTime.push(near, cost[near] ?? 0);
		onTime.expireAbove(k + Math.min(reach, longest));
		const far = k + Math.max(reach + 1, shortest);
		if (far <= last) beyond.push(far, price * (doneLate[far] ?? 0) + (cost[far] ?? 0));
		beyond.expireAbove(k + longest);
		const onTimeBest = onTime.best;
		const beyondBest = beyond.best;
		const onTimeCost = onTimeBest?.value ?? Number.POSITIVE_INFINITY;
		const beyondCost = beyondBest ? beyondBest.value - price * (done[k] ?? 0) : Number.POSITIVE_INFINITY;
		// Past the end no job is running: a last poll closer than the shortest gap costs nothing.
		const next = beyondBest && beyondCost < onTimeCost ? beyondBest.index : (onTimeBest?.index ?? last);
		const running = 1 - (done[k] ?? 0);
		cost[k] = running + price * lateFrom(k, next) + (cost[next] ?? 0);
		queries[k] = running + (queries[next] ?? 0);
		late[k] = lateFrom(k, next) + (late[next] ?? 0);
	}
	const first = Math.round(rules.firstPollMs / GRID_MS);
	if (first === 0) return { queries: queries[0] ?? 0, late: late[0] ?? 0 };
	return { queries: 1 + (queries[first] ?? 0), late: lateFrom(0, first) + (late[first] ?? 0) };
}

function plan(grids: Grid[], allowedMs: number, price: number, rules: PollRules): Plan {
	let queries = 0;
	let late = 0;
	for (const kind of grids) {
		const one = cheapestPlan(kind, allowedMs, price, rules);
		queries += kind.share * one.queries;
		late += kind.share * one.late;
	}
	return { queries, late };
}

/**
 * The fewest queries per job that keep 95 % of detections within `allowedMs`. The price of lateness is searched until
 * the share late straddles 5 %; the two schedules either side are then mixed across jobs (some jobs get one, the rest
 * the other), which is how the exact 5 % is reached on a discrete grid.
 */
function fewestQueries(kinds: JobKind[], allowedMs: number, rules: PollRules): number {
	const grids = kinds.map((kind) => grid(kind, allowedMs));
	let cheap = 1e-6;
	let dear = 1e9;
	const atDear = plan(grids, allowedMs, dear, rules);
	if (atDear.late > LATE_SHARE) return Number.POSITIVE_INFINITY;
	const atCheap = plan(grids, allowedMs, cheap, rules);
	if (atCheap.late <= LATE_SHARE) return atCheap.queries;
	let lateSide = atCheap;
	let onTimeSide = atDear;
	for (let step = 0; step < PRICE_SEARCH_STEPS; step++) {
		const price = Math.sqrt(cheap * dear);
		const middle = plan(grids, allowedMs, price, rules);
		if (middle.late > LATE_SHARE) {
			cheap = price;
			lateSide = middle;
		} else {
			dear = price;
			onTimeSide = middle;
		}
	}
	const spread = lateSide.late - onTimeSide.late;
	const onTimeWeight = spread > 0 ? (lateSide.late - LATE_SHARE) / spread : 1;
	return onTimeWeight * onTimeSide.queries + (1 - onTimeWeight) * lateSide.queries;
}

/**
 * The lowest detection p95 a poller can reach with `queriesPerJob` status queries per job on average, knowing the
 * true distribution of every kind of job (never the job's own finish), with no budget binding: free to poll when it
 * likes, or held to `rules`.
 */
export function oracleP95Ms(kinds: JobKind[], queriesPerJob: number, rules: PollRules = FREE): number {
	let tight = GRID_MS;
	let loose = Math.max(...kinds.map((kind) => kind.finish.endMs));
	if (fewestQueries(kinds, tight, rules) <= queriesPerJob) return tight;
	for (let step = 0; step < WAIT_SEARCH_STEPS; step++) {
		const middle = (tight + loose) / 2;
		if (fewestQueries(kinds, middle, rules) > queriesPerJob) tight = middle;
		else loose = middle;
	}
	return loose;
}
