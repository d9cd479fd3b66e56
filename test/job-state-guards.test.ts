import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_STATES, type Job } from '../src/domain/job.js';
import { buildSubmitBody } from '../src/modelverse/wire.js';
import { createLogger } from '../src/ops/logger.js';
import { KeyedMutex } from '../src/storage/keyed-mutex.js';
import { JobStore } from '../src/video/jobs/job-store.js';
import {
	charged,
	creditsOf,
	postedVideos,
	progressTitles,
	runVideo,
	waitForDelivered,
	waitForProgressText,
} from '../standins/journeys.js';
import { aJob } from './support/job-fixture.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';

describe('the job store changes a job only from the state its caller expects', () => {
	let store: JobStore;

	beforeEach(async () => {
		store = new JobStore({
			keyv: new Keyv(),
			mutex: new KeyedMutex(),
			logger: createLogger({ level: 'silent', secrets: [] }),
			now: () => 2_000,
		});
		await store.create(
			aJob(),
			buildSubmitBody('waves', { resolution: '540p', duration: 5, audio: false, seed: 1 }, { mode: 'text' }, 'url'),
		);
	});

	it('a change from a state the job is not in is refused, and the job stays as it was', async () => {
		expect(await store.update('job-1', ['rendering'], () => ({ state: 'failed' }))).toBeUndefined();
		expect(await store.get('job-1')).toMatchObject({ state: 'queued', updatedAt: 1_000 });

		expect(await store.update('job-1', ['queued'], () => ({ state: 'rendering' }))).toMatchObject({
			state: 'rendering',
			updatedAt: 2_000,
		});
	});

	it('a guard can judge the whole record where the state alone does not say', async () => {
		const unfinished = (job: Job) => job.state === 'queued' && job.result === undefined;
		expect(await store.update('job-1', unfinished, () => ({ state: 'rendering' }))).toMatchObject({
			state: 'rendering',
		});
		expect(await store.update('job-1', unfinished, () => ({ state: 'queued' }))).toBeUndefined();
	});

	it('an ended job never opens again, even for a caller that accepts any state', async () => {
		await store.update('job-1', ['queued'], () => ({ state: 'failed' }));
		expect(await store.update('job-1', JOB_STATES, () => ({ state: 'queued' }))).toBeUndefined();
		expect(await store.get('job-1')).toMatchObject({ state: 'failed' });
		expect(await store.openJobs()).toEqual([]);
	});

	it('of two changes racing from the same state, only the first applies', async () => {
		const [failed, delivering] = await Promise.all([
			store.update('job-1', ['queued', 'rendering'], () => ({ state: 'failed' })),
			store.update('job-1', ['queued', 'rendering'], () => ({ state: 'delivering' })),
		]);
		expect(failed).toMatchObject({ state: 'failed' });
		expect(delivering).toBeUndefined();
		expect(await store.get('job-1')).toMatchObject({ state: 'failed' });
	});

	it('a change that leaves the state alone (where progress is shown) still applies to an ended job', async () => {
		await store.update('job-1', ['queued'], () => ({ state: 'succeeded' }));
		expect(await store.update('job-1', JOB_STATES, () => ({ progressMessageId: '700000000000000001' }))).toMatchObject({
			state: 'succeeded',
			progressMessageId: '700000000000000001',
		});
	});
});

/**
 * Two processes on one store, as when a paused host comes back after its replacement took over: the old one's
 * question to the provider was answered while it was frozen, and it reads that answer late.
 */
describe('a late answer to a frozen process', () => {
	let world: ProcessStandIns;

	afterEach(async () => {
		await world.close();
	});

	it('does not reopen a job its replacement delivered, nor post or charge it again', async () => {
		// A status query waits as long as the test needs: the frozen process must read its answer, not time out.
		world = await startProcessStandIns({ modelverse: { hold: true }, env: { MODELVERSE_STATUS_TIMEOUT_MS: '120000' } });
		const { discord, modelverse } = world;
		const statusQueries = () => modelverse.received.filter((request) => request.route === 'status').length;
		const frozen = await world.start();
		const command = runVideo(world, 'text', { prompt: 'a kite over the dunes' });
		await waitForProgressText(world, command, 'Queued');
		const taskId = modelverse.submissions[0]?.taskId ?? '';
		const asked = statusQueries();
		modelverse.injectFault('status', { delayMs: 3_000 });
		await discord.waitFor(() => statusQueries() > asked);
		frozen.child.kill('SIGSTOP');
		modelverse.complete(taskId, 'Success');

		const replacement = await world.start();
		const posted = await waitForDelivered(world, command);
		const titlesWhenDelivered = progressTitles(world, command);
		expect(titlesWhenDelivered.at(-1)).toBe('Done');

		frozen.child.kill('SIGCONT');
		// It acted on the answer: either it saw the job had moved on, or (wrongly) it delivered the video itself.
		const acted = /job had already moved on|job delivered/;
		await discord.waitFor(() => frozen.lines.find((line) => acted.test(line)), 20_000);
		await frozen.stop('SIGKILL');

		expect(progressTitles(world, command)).toEqual(titlesWhenDelivered);
		expect(postedVideos(world)).toEqual([posted]);
		expect(frozen.lines.filter((line) => line.includes('video made; delivering it'))).toEqual([]);
		expect(replacement.lines.filter((line) => line.includes('job delivered'))).toHaveLength(1);
		expect(modelverse.submissions).toHaveLength(1);
		expect(await creditsOf(world)).toEqual(charged(9));
	});
});
