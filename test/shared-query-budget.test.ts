import { describe, expect, it } from 'vitest';
import { budgetWindow } from '../src/domain/query-budget.js';
import { budgetKey, outageRetryMs } from '../src/storage/shared-query-budget.js';

describe('the status-query budget shared through Redis', () => {
	it('grants whole queries per second, in a window widened by the same margin as the in-process spacing', () => {
		expect(budgetWindow(10)).toEqual({ permits: 10, windowMs: 1100, sendWithinMs: 50 });
		expect(budgetWindow(4)).toEqual({ permits: 4, windowMs: 1100, sendWithinMs: 50 });
		expect(budgetWindow(2.5)).toEqual({ permits: 2, windowMs: 1100, sendWithinMs: 50 });
	});

	it('grants one query per window of several seconds for a budget below one per second', () => {
		expect(budgetWindow(0.5)).toEqual({ permits: 1, windowMs: 2200, sendWithinMs: 100 });
		expect(budgetWindow(0.25)).toEqual({ permits: 1, windowMs: 4400, sendWithinMs: 200 });
	});

	it('waits longer after each failure to reach Redis, up to two seconds', () => {
		expect([1, 2, 3, 4, 5, 6, 20].map(outageRetryMs)).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
	});

	it('names the window by a hash of the API key, never the key itself', () => {
		const key = budgetKey('mv-secret-key-4f9d2c7a1b');
		expect(key).toMatch(/^pixverse-bot:status-queries:[0-9a-f]{16}$/);
		expect(key).not.toContain('mv-secret');
		expect(budgetKey('mv-secret-key-4f9d2c7a1b')).toBe(key);
		expect(budgetKey('another-key')).not.toBe(key);
	});
});
