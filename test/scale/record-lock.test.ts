import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRecordLock } from '../../src/storage/postgres-record-lock.js';
import { openPool } from '../../src/storage/postgres-store.js';
import { type PostgresServer, startPostgresServer } from '../../standins/servers/postgres-server.js';

let server: PostgresServer;
let url: string;
const pools: pg.Pool[] = [];

function lockOnPool(max: number): { lock: PostgresRecordLock; pool: pg.Pool } {
	const pool = openPool(url, max, 30_000);
	pools.push(pool);
	return { lock: new PostgresRecordLock(pool), pool };
}

function gate(): { opened: Promise<void>; open(): void } {
	let open: () => void = () => undefined;
	const opened = new Promise<void>((resolve) => {
		open = resolve;
	});
	return { opened, open: () => open() };
}

/** Returns once some session waits for an advisory lock another holds: the second process is queued at the database. */
async function untilOneWaits(pool: pg.Pool): Promise<void> {
	for (;;) {
		const { rows } = await pool.query<{ waiting: string }>(
			"SELECT count(*) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
		);
		if (rows[0]?.waiting === '1') return;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

beforeAll(async () => {
	server = await startPostgresServer();
	url = await server.createDatabase('locks');
});

afterAll(async () => {
	await Promise.all(pools.map((pool) => pool.end()));
	await server?.stop();
});

describe('the PostgreSQL record lock, as two processes would hold it', () => {
	it('runs the same key in one process only after the other process has finished with it', async () => {
		const first = lockOnPool(2);
		const second = lockOnPool(2);
		const events: string[] = [];
		const held = gate();
		const entered = gate();
		const firstRun = first.lock.run('quota:1', async () => {
			events.push('first in');
			entered.open();
			await held.opened;
			events.push('first out');
		});
		await entered.opened;
		const secondRun = second.lock.run('quota:1', async () => {
			events.push('second in');
		});
		await untilOneWaits(first.pool);
		held.open();
		await Promise.all([firstRun, secondRun]);
		expect(events).toEqual(['first in', 'first out', 'second in']);
	});

	it('lets different keys run at the same time', async () => {
		const first = lockOnPool(2);
		const second = lockOnPool(2);
		const held = gate();
		const entered = gate();
		const firstRun = first.lock.run('quota:1', async () => {
			entered.open();
			await held.opened;
		});
		await entered.opened;
		await expect(second.lock.run('quota:2', async () => 'done while the other holds its key')).resolves.toBe(
			'done while the other holds its key',
		);
		held.open();
		await firstRun;
	});

	it('takes nested locks on the outer transaction, so one connection is enough', async () => {
		const { lock } = lockOnPool(1);
		const nested = lock.run('quota:1', () =>
			lock.run('quota:operator-bill', () => lock.run('quota:1', async () => 'nested')),
		);
		// Queued behind the nested run's outer key in this process, and waiting for the one connection.
		const beside = lock.run('quota:operator-bill', async () => 'beside');
		await expect(Promise.all([nested, beside])).resolves.toEqual(['nested', 'beside']);
	});

	it('frees the key when a task fails, and passes the failure on', async () => {
		const first = lockOnPool(1);
		const second = lockOnPool(1);
		await expect(
			first.lock.run('job:1', async () => {
				throw new Error('the task failed');
			}),
		).rejects.toThrow('the task failed');
		await expect(second.lock.run('job:1', async () => 'after')).resolves.toBe('after');
		await expect(first.lock.run('job:1', async () => 'again')).resolves.toBe('again');
	});
});
