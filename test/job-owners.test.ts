import { describe, expect, it } from 'vitest';
import { ownerIdOf } from '../src/domain/owner-id.js';
import { leaseLive } from '../src/storage/owner-leases.js';

describe('which process owns a job', () => {
	it('is named after the shards it runs, the same whatever order they were given in', () => {
		expect(ownerIdOf(0)).toBe('shards-0');
		expect(ownerIdOf([0])).toBe('shards-0');
		expect(ownerIdOf([3, 1])).toBe('shards-1-3');
		expect(ownerIdOf('auto')).toBe('shards-all');
	});

	it('is alive while its lease runs, and gone once it lapsed or when nothing readable is stored', () => {
		expect(leaseLive({ until: 10_001 }, 10_000)).toBe(true);
		expect(leaseLive({ until: 10_000 }, 10_000)).toBe(false);
		expect(leaseLive(undefined, 10_000)).toBe(false);
		expect(leaseLive({ until: 'later' }, 10_000)).toBe(false);
	});
});
