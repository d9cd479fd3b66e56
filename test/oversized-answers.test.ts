import { describe, expect, it } from 'vitest';
import type { Harness } from '../standins/harness.js';
import { creditsOf, jobEnded, logEntries, runVideo, waitForPostedVideo } from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

const WARN = 40;
const ERROR = 50;
/** What a default text job (720p, 5 s, no audio) costs: 5 × 1.8. */
const JOB_COST = 9;
/** Well-formed answers, padded past what the bot reads of one (1 MiB): a proxy's fault, or a provider gone wrong. */
const PADDING = 'x'.repeat(2 * 1024 * 1024);

describe('an answer from the provider too large to read is refused unread, and nothing is lost', () => {
	let harness: Harness;

	it('to a status query: the bot asks again and the video arrives once', async () => {
		harness = await startHarnessForTest({ modelverse: { hold: true } });
		harness.modelverse.injectFault('status', {
			status: 200,
			body: { output: { task_id: 'padded', task_status: 'Running', error_message: PADDING }, request_id: 'r' },
		});
		const handle = runVideo(harness, 'text', { prompt: 'a lighthouse in fog' });

		const refused = await harness.discord.waitFor(() =>
			logEntries(harness, { msg: /status query failed; will ask again/, level: WARN }).at(0),
		);
		expect((refused.err as { message: string }).message).toMatch(/answered 200 with a body over 1048576 bytes/);
		const taskId = harness.modelverse.submissions[0]?.taskId ?? '';
		await harness.discord.waitFor(() => harness.modelverse.queriesFor(taskId).some((query) => query.status === 200));
		harness.modelverse.complete(taskId, 'Success');

		await waitForPostedVideo(harness);
		expect(await jobEnded(harness, handle)).toContain('Done');
		expect(harness.modelverse.submissions).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual({
			member: JOB_COST,
			server: JOB_COST,
			memberRunning: 0,
			serverRunning: 0,
		});
	});

	it('to a submit: the outcome is unknown, so the credits come back and the submit is not repeated', async () => {
		harness = await startHarnessForTest();
		harness.modelverse.injectFault('submit', {
			status: 200,
			body: { output: { task_id: 'padded' }, request_id: 'r', padding: PADDING },
		});
		const handle = runVideo(harness, 'text', { prompt: 'a kite in a storm' });

		expect(await jobEnded(harness, handle)).toContain('The video service did not confirm this job');
		expect(logEntries(harness, { msg: /may have been created and billed/, level: ERROR })).toEqual([
			expect.objectContaining({ err: expect.objectContaining({ kind: 'invalid_response' }) }),
		]);
		expect(harness.modelverse.received.filter((request) => request.route === 'submit')).toHaveLength(1);
		expect(harness.modelverse.queriesFor('padded')).toEqual([]);
		expect(await creditsOf(harness)).toEqual({ member: 0, server: 0, memberRunning: 0, serverRunning: 0 });
	});
});
