import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import type { Job } from '../src/domain/job.js';
import { ownerIdOf } from '../src/domain/owner-id.js';
import { buildSubmitBody } from '../src/modelverse/wire.js';
import { createLogger } from '../src/ops/logger.js';
import { KeyedMutex } from '../src/storage/keyed-mutex.js';
import { leaseLive, OwnerLeases } from '../src/storage/owner-leases.js';
import { JobStore } from '../src/video/jobs/job-store.js';
import { JobAdoption } from '../src/video/ownership/job-adoption.js';
import { postWindowMs } from '../src/video/ownership/lease-fence.js';
import { aJob } from './support/job-fixture.js';

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

	it('posts only while its lease outlives the post, its last tenth kept clear; renewed every third, it always may', () => {
		const lease = 30_000;
		const now = 100_000;
		expect(postWindowMs(now + lease, now, lease)).toBe(27_000);
		// Just before a renewal that is late by a few seconds.
		expect(postWindowMs(now + (lease * 2) / 3 - 3_000, now, lease)).toBe(14_000);
		expect(postWindowMs(now + 9_000, now, lease)).toBe(6_000);
		expect(postWindowMs(now + 8_999, now, lease)).toBeUndefined();
		expect(postWindowMs(now, now, lease)).toBeUndefined();
		expect(postWindowMs(0, now, lease)).toBeUndefined();
	});
});

describe('which open jobs a process takes', () => {
	const now = () => 10_000;
	const keyv = new Keyv();
	const store = new JobStore({
		keyv,
		mutex: new KeyedMutex(),
		logger: createLogger({ level: 'silent', secrets: [] }),
		now,
	});
	const leases = new OwnerLeases(keyv, 3_000, now);
	const adoption = (ownerId: string) =>
		new JobAdoption({ store, leases, ownerId, logger: createLogger({ level: 'silent', secrets: [] }) });
	const body = buildSubmitBody(
		'waves',
		{ resolution: '540p', duration: 5, audio: false, seed: 1 },
		{ mode: 'text' },
		'url',
	);
	const stored = async (id: string, owner?: string): Promise<Job> => {
		const job = aJob({ id, ...(owner === undefined ? {} : { owner }) });
		await store.create(job, body);
		return job;
	};

	it('at start-up, its own and those without an owner; at a sweep, only those of an owner whose lease lapsed', async () => {
		await leases.renew('live');
		const jobs = [
			await stored('own', 'me'),
			await stored('orphan'),
			await stored('of-live', 'live'),
			await stored('of-dead', 'dead'),
		];
		const me = adoption('me');
		expect((await me.claim(jobs, 'start-up')).map((job) => [job.id, job.owner])).toEqual([
			['own', 'me'],
			['orphan', 'me'],
		]);
		const left = (await store.openJobs()).filter((job) => job.owner !== 'me');
		expect((await me.claim(left, 'sweep')).map((job) => [job.id, job.owner])).toEqual([['of-dead', 'me']]);
		expect((await store.get('of-live'))?.owner).toBe('live');
	});

	it('a job stored before owners were (version 2) reads as ownerless, and the first process to start takes it', async () => {
		await keyv.set('job:before-owners', { ...aJob({ id: 'before-owners' }), schemaVersion: 2 });
		const read = await store.get('before-owners');
		expect(read).toBeDefined();
		expect(read?.owner).toBeUndefined();
		expect(await adoption('me').claim(read ? [read] : [], 'start-up')).toMatchObject([
			{ id: 'before-owners', owner: 'me' },
		]);
		expect(await keyv.get('job:before-owners')).toMatchObject({ owner: 'me', schemaVersion: 3 });
	});

	it('of two survivors sweeping at once, exactly one adopts each job', async () => {
		const jobs = [await stored('left-1', 'gone'), await stored('left-2', 'gone')];
		const [first, second] = await Promise.all([
			adoption('first').claim(jobs, 'sweep'),
			adoption('second').claim(jobs, 'sweep'),
		]);
		expect([...(first ?? []), ...(second ?? [])].map((job) => job.id).sort()).toEqual(['left-1', 'left-2']);
		for (const job of jobs) expect(['first', 'second']).toContain((await store.get(job.id))?.owner);
	});
});
