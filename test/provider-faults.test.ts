import { describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../standins/discord/index.js';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import {
	creditsOf,
	jobEnded,
	logEntries,
	progressTitles,
	runVideo,
	waitForPostedVideo,
	waitForProgressText,
} from '../standins/journeys.js';
import { DEFAULT_TASK_PLAN } from '../standins/modelverse/modelverse-standin.js';
import { startHarnessForTest } from './support/harness-per-test.js';

const ERROR = 50;
const WARN = 40;
const INFO = 30;

/** What a default text job (720p, 5 s, no audio) costs: 5 × 1.8. */
const DEFAULT_JOB_COST = 9;

function providerRefusal(status: number, message: string, code: string) {
	return { status, body: { error: { message, type: 'invalid_request_error', param: null, code } } };
}

describe('the provider answering badly: the member is told, credits come back, and nothing is lost', () => {
	let harness: Harness;
	const begin = async (options: HarnessOptions = {}) => (harness = await startHarnessForTest(options));

	async function creditsUsed(): Promise<{ member: number; server: number }> {
		const { member, server } = await creditsOf(harness);
		return { member, server };
	}

	async function expectAGoodCommandStillWorks(): Promise<void> {
		const before = harness.modelverse.submissions.length;
		runVideo(harness, 'text', { prompt: 'a calm lake at sunrise' });
		await harness.discord.waitFor(() =>
			harness.modelverse.submissions.slice(before).find((submission) => submission.body.input.prompt.includes('lake')),
		);
		await waitForPostedVideo(harness);
	}

	describe('on submit', () => {
		it('400: the member reads the provider’s reason, the credits are returned, and nothing was created', async () => {
			await begin();
			harness.modelverse.injectFault(
				'submit',
				providerRefusal(400, 'The prompt was rejected by content moderation.', 'content_rejected'),
			);
			const handle = runVideo(harness, 'text', { prompt: 'something the provider will not draw' });

			const shown = await jobEnded(harness, handle);
			expect(shown).toContain('Failed');
			expect(shown).toContain('The video service refused this job: The prompt was rejected by content moderation.');
			expect(await creditsUsed()).toEqual({ member: 0, server: 0 });
			expect(harness.modelverse.submissions).toEqual([]);
			expect(harness.modelverse.rejected.map((rejection) => rejection.status)).toEqual([400]);
			expect(logEntries(harness, { msg: /provider refused the submit/, level: INFO })).toHaveLength(1);

			await expectAGoodCommandStillWorks();
			expect(harness.modelverse.rejected).toHaveLength(1);
		});

		it('401: the member is told the service is not accepting the bot, and the operator gets an error line', async () => {
			await begin();
			harness.modelverse.injectFault('submit', providerRefusal(401, 'Invalid API key', 'invalid_api_key'));
			const handle = runVideo(harness, 'text', { prompt: 'a lighthouse in fog' });

			const shown = await jobEnded(harness, handle);
			expect(shown).toContain('The video service is not accepting this bot right now. The operator has been told.');
			expect(await creditsUsed()).toEqual({ member: 0, server: 0 });
			expect(logEntries(harness, { msg: /operator action needed/, level: ERROR })).toEqual([
				expect.objectContaining({ guildId: harness.discord.guildId, err: expect.objectContaining({ status: 401 }) }),
			]);
			await expectAGoodCommandStillWorks();
		});

		it('403: the member is told the bot is paused (spend limit), and the operator gets an error line', async () => {
			await begin();
			harness.modelverse.injectFault('submit', providerRefusal(403, 'Spend limit reached', 'quota_exceeded'));
			const handle = runVideo(harness, 'text', { prompt: 'a lighthouse in fog' });

			const shown = await jobEnded(harness, handle);
			expect(shown).toContain('The video service has paused this bot (spend limit or access rule).');
			expect(await creditsUsed()).toEqual({ member: 0, server: 0 });
			expect(logEntries(harness, { msg: /operator action needed/, level: ERROR })).toHaveLength(1);
			await expectAGoodCommandStillWorks();
		});

		it('429 with Retry-After: the job waits, is submitted again by itself exactly once, and the video arrives', async () => {
			await begin();
			harness.modelverse.injectFault('submit', {
				status: 429,
				retryAfterSeconds: 1,
				body: { error: { message: 'Too many requests', type: 'rate_limit_error', param: null, code: 'rate_limited' } },
			});
			const handle = runVideo(harness, 'text', { prompt: 'a train crossing a bridge' });

			const posted = await waitForPostedVideo(harness);
			expect(harness.modelverse.rejected.map((rejection) => rejection.status)).toEqual([429]);
			expect(harness.modelverse.submissions).toHaveLength(1);
			expect(harness.modelverse.submissions[0]?.body.input.prompt).toBe('a train crossing a bridge');
			expect(progressTitles(harness, handle)).toContain(
				'Waiting for the video service (busy); your job will be sent shortly.',
			);
			expect(logEntries(harness, { msg: /provider busy/, level: WARN })).toHaveLength(1);
			await waitForProgressText(harness, handle, posted.id);
			expect(await creditsUsed()).toEqual({ member: DEFAULT_JOB_COST, server: DEFAULT_JOB_COST });
		});

		const outcomeUnknown =
			'The video service did not confirm this job, so it was stopped and your credits were returned. Please try again.';

		async function expectOutcomeUnknownNotRepeated(handle: InteractionHandle, prompt: string): Promise<void> {
			expect(await jobEnded(harness, handle)).toContain(outcomeUnknown);
			expect(await creditsUsed()).toEqual({ member: 0, server: 0 });
			expect(logEntries(harness, { msg: /may have been created and billed/, level: ERROR })).toEqual([
				expect.objectContaining({ guildId: harness.discord.guildId }),
			]);
			await expectAGoodCommandStillWorks();
			const attempts = [
				...harness.modelverse.submissions.map((submission) => submission.body),
				...harness.modelverse.rejected.map((rejection) => rejection.body),
			].filter((body) => JSON.stringify(body).includes(prompt));
			expect(attempts).toHaveLength(1);
		}

		it('500: the outcome is unknown, so the member is told, credits come back, and the submit is not repeated', async () => {
			await begin();
			harness.modelverse.injectFault('submit', { status: 500 });
			const handle = runVideo(harness, 'text', { prompt: 'a kite over the dunes' });
			await expectOutcomeUnknownNotRepeated(handle, 'a kite over the dunes');
		});

		it('no answer in time: the outcome is unknown, credits come back, and the submit is not repeated', async () => {
			await begin({ env: { MODELVERSE_SUBMIT_TIMEOUT_MS: '300' } });
			harness.modelverse.injectFault('submit', { delayMs: 1_200 });
			const handle = runVideo(harness, 'text', { prompt: 'a slow kite' });

			expect(await jobEnded(harness, handle)).toContain(outcomeUnknown);
			// The provider did make the task after all, as a real one may: the bot must not have made a second.
			await harness.discord.waitFor(() => harness.modelverse.submissions.length === 1);
			await expectOutcomeUnknownNotRepeated(handle, 'a slow kite');
		});

		it('a body that is not JSON: the outcome is unknown, credits come back, and the submit is not repeated', async () => {
			await begin();
			harness.modelverse.injectFault('submit', { nonJson: true });
			const handle = runVideo(harness, 'text', { prompt: 'a paper boat' });
			await expectOutcomeUnknownNotRepeated(handle, 'a paper boat');
		});
	});

	describe('on status', () => {
		it('429, 500, a non-JSON body and slow or lost answers are ridden out, and the video still arrives', async () => {
			await begin({ modelverse: { hold: true }, env: { MODELVERSE_STATUS_TIMEOUT_MS: '300' } });
			harness.modelverse.injectFault('status', { status: 429, retryAfterSeconds: 1 });
			harness.modelverse.injectFault('status', { status: 500 });
			harness.modelverse.injectFault('status', { nonJson: true });
			harness.modelverse.injectFault('status', { delayMs: 1_000 });
			harness.modelverse.injectFault('status', { delayMs: 150 });
			const handle = runVideo(harness, 'text', { prompt: 'a storm over the sea' });

			const failedQueries = await harness.discord.waitFor(() => {
				const failures = logEntries(harness, { msg: /status query failed; will ask again/, level: WARN });
				return failures.length === 4 && failures;
			});
			expect(failedQueries.map((entry) => (entry.err as { message: string }).message)).toEqual([
				expect.stringMatching(/answered 429/),
				expect.stringMatching(/answered 500/),
				expect.stringMatching(/not JSON/),
				expect.stringMatching(/no answer within 300 ms/),
			]);
			const [submission] = harness.modelverse.submissions;
			const taskId = submission?.taskId ?? '';
			// The slow (but answered) query, then at least one more, both seen as still running.
			await harness.discord.waitFor(
				() => harness.modelverse.queriesFor(taskId).filter((query) => query.taskStatus === 'Running').length >= 2,
			);
			harness.modelverse.complete(taskId, 'Success');

			const posted = await waitForPostedVideo(harness);
			expect(harness.modelverse.submissions).toHaveLength(1);
			expect(await waitForProgressText(harness, handle, posted.id)).toContain('Done');
			expect(await creditsUsed()).toEqual({ member: DEFAULT_JOB_COST, server: DEFAULT_JOB_COST });
		});

		it('a Failure: the member reads the provider’s error_message and the credits are returned', async () => {
			await begin({
				modelverse: {
					plan: (_body, index) =>
						index === 0
							? {
									queueMs: 50,
									renderMs: 100,
									outcome: 'Failure',
									errorMessage: 'The image contains a public figure, which is not allowed.',
								}
							: DEFAULT_TASK_PLAN,
				},
			});
			const handle = runVideo(harness, 'text', { prompt: 'a famous face' });

			const shown = await jobEnded(harness, handle);
			expect(shown).toContain('Failed');
			expect(shown).toContain('The video could not be made: The image contains a public figure, which is not allowed.');
			expect(await creditsUsed()).toEqual({ member: 0, server: 0 });
			expect(logEntries(harness, { msg: /job ended without a video/, level: INFO })).toEqual([
				expect.objectContaining({ reason: 'job.failed', state: 'failed' }),
			]);
			await expectAGoodCommandStillWorks();
		});

		it('unknown and oddly-cased statuses (InQueue, Processing, SUCCESS) are followed to the video', async () => {
			await begin({
				modelverse: {
					hold: true,
					plan: () => ({
						...DEFAULT_TASK_PLAN,
						statusNames: { pending: 'InQueue', running: 'Processing', success: 'SUCCESS' },
					}),
				},
			});
			const handle = runVideo(harness, 'text', { prompt: 'a fox in the snow' });

			const processing = await harness.discord.waitFor(() =>
				harness.modelverse.statusQueries.find((query) => query.taskStatus === 'Processing'),
			);
			await harness.discord.waitFor(() => progressTitles(harness, handle).includes('Rendering'));
			harness.modelverse.complete(processing.taskId, 'Success');

			const posted = await waitForPostedVideo(harness);
			expect(harness.modelverse.queriesFor(processing.taskId).at(-1)?.taskStatus).toBe('SUCCESS');
			expect(await waitForProgressText(harness, handle, posted.id)).toContain('Done');
		});

		it('an `Expired` task (a status other models answer) ends as failed, credits returned', async () => {
			await begin({
				modelverse: {
					plan: () => ({ queueMs: 50, renderMs: 100, outcome: 'Failure', statusNames: { failure: 'Expired' } }),
				},
			});
			const handle = runVideo(harness, 'text', { prompt: 'a fox in the snow' });

			expect(await jobEnded(harness, handle)).toContain('The video could not be made:');
			expect(await creditsUsed()).toEqual({ member: 0, server: 0 });
		});

		it('a task that never finishes ends as timed out after the deadline, credits returned', async () => {
			// 0.03 minutes = 1.8 s.
			await begin({
				env: { JOB_DEADLINE_MINUTES: '0.03' },
				modelverse: {
					plan: (_body, index) => (index === 0 ? { ...DEFAULT_TASK_PLAN, outcome: 'Hang' } : DEFAULT_TASK_PLAN),
				},
			});
			const handle = runVideo(harness, 'text', { prompt: 'an endless staircase' });

			const shown = await jobEnded(harness, handle);
			expect(shown).toContain('Timed out');
			expect(shown).toContain('The video took longer than');
			expect(shown).toContain('Your credits were returned.');
			expect(await creditsUsed()).toEqual({ member: 0, server: 0 });
			expect(logEntries(harness, { msg: /job ended without a video/ })).toEqual([
				expect.objectContaining({ reason: 'job.timedOut', state: 'timed_out' }),
			]);
			const queriesAtEnd = harness.modelverse.statusQueries.length;
			await expectAGoodCommandStillWorks();
			const taskId = harness.modelverse.submissions[0]?.taskId ?? '';
			expect(harness.modelverse.statusQueries.slice(queriesAtEnd).filter((query) => query.taskId === taskId)).toEqual(
				[],
			);
		});
	});
});
