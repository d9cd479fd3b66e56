import { describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../standins/discord/index.js';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import {
	charged,
	creditsOf,
	jobEnded,
	jobsOf,
	logEntries,
	postedVideos,
	progressTitles,
	runVideo,
	visibleText,
	waitForDelivered,
	waitForProgressText,
} from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

/** Every route the bot posts or edits a message on: channel messages, the interaction webhook, opening a DM. */
const MESSAGE_ROUTES =
	/^\/(channels\/\d+\/messages(\/\d+)?|webhooks\/\d+\/[^/]+(\/messages\/[^/]+)?|users\/@me\/channels)$/;
/** Where a video is posted: its interaction's follow-up while the token lasts, a channel message after. */
const VIDEO_POSTS = { method: 'POST', path: /^\/(channels\/\d+\/messages|webhooks\/\d+\/[^/]+)$/ };
const FOLLOWUP_UPLOADS = { method: 'POST', path: /^\/webhooks\/\d+\/[^/]+$/, withFiles: true };
/** Delivery tries close together, so an outage spanning several of them stays short. */
const QUICK_RETRIES = { DELIVERY_RETRY_MIN_MS: '100', DELIVERY_RETRY_MAX_MS: '400' };
/** What a default text job (720p, 5 s, no audio) costs: 5 × 1.8. */
const JOB_COST = 9;
const ERROR = 50;

describe('a finished video is never thrown away', () => {
	let harness: Harness;

	async function start(options: HarnessOptions = {}): Promise<Harness> {
		harness = await startHarnessForTest({
			...options,
			modelverse: { hold: true },
			env: { ...QUICK_RETRIES, ...options.env },
		});
		return harness;
	}

	/** Runs a job up to the provider's Success, with Discord failing as `outage` (if any) from just before. */
	async function makeVideo(outage?: () => { end(): void }): Promise<{
		command: InteractionHandle;
		taskId: string;
		endOutage: () => void;
	}> {
		const command = runVideo(harness, 'text', { prompt: 'a lighthouse in a storm' });
		const taskId = await harness.discord.waitFor(() => harness.modelverse.submissions[0]?.taskId);
		await waitForProgressText(harness, command, 'Queued');
		const fault = outage?.();
		harness.modelverse.complete(taskId, 'Success');
		return { command, taskId, endOutage: () => fault?.end() };
	}

	/** More failed tries than the bot used to make before giving the video up (three quick ones). */
	async function deliveryTriesFailed(tries: number): Promise<void> {
		await harness.discord.waitFor(
			() => logEntries(harness, { msg: /video not delivered yet; will try again/ }).length >= tries,
			30_000,
		);
	}

	const downloads = () => harness.modelverse.received.filter((request) => request.route === 'download').length;

	it.each([
		{ outage: 'answers 503', fault: { status: 503 } as const },
		{ outage: 'hangs past discord.js’s timeout', fault: { hang: true } as const },
		{ outage: 'drops every connection', fault: { drop: true } as const },
	])(
		'Discord $outage on every message route for a while: once it recovers, the video is posted once and charged once',
		async ({ fault }) => {
			await start({ env: { DISCORD_REST_TIMEOUT_MS: '600' } });
			const { command, endOutage } = await makeVideo(() => harness.discord.failRoutes({ path: MESSAGE_ROUTES }, fault));
			await deliveryTriesFailed(4);
			expect(postedVideos(harness)).toEqual([]);

			endOutage();
			const posted = await waitForDelivered(harness, command);
			expect(posted.attachments).toHaveLength(1);
			expect(postedVideos(harness)).toHaveLength(1);
			// "Ready and being posted" is a courtesy that may be skipped; the reply's last word is always Done.
			expect(progressTitles(harness, command).at(-1)).toBe('Done');
			expect(downloads()).toBe(1);
			expect(harness.modelverse.submissions).toHaveLength(1);
			expect(await creditsOf(harness)).toEqual(charged(JOB_COST));
		},
	);

	it('a restart in the middle of the outage: the new process delivers from the stored URL, with no status query, once', async () => {
		await start();
		const { command, taskId, endOutage } = await makeVideo(() =>
			harness.discord.failRoutes({ path: MESSAGE_ROUTES }, { status: 503 }),
		);
		await deliveryTriesFailed(2);
		const queriesBeforeRestart = harness.modelverse.queriesFor(taskId).length;
		await harness.restart();
		await deliveryTriesFailed(4);

		endOutage();
		const posted = await waitForDelivered(harness, command);
		expect(posted.attachments).toHaveLength(1);
		expect(postedVideos(harness)).toHaveLength(1);
		expect(harness.modelverse.queriesFor(taskId)).toHaveLength(queriesBeforeRestart);
		expect(harness.modelverse.submissions).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual(charged(JOB_COST));
	});

	it('the video’s download failing more than three times in a row: it is fetched again until it arrives, posted once', async () => {
		await start();
		harness.modelverse.injectFault('download', { status: 503 }, 3);
		harness.modelverse.injectFault('download', { destroy: true }, 2);
		const { command } = await makeVideo();

		const posted = await waitForDelivered(harness, command);
		expect(posted.attachments).toHaveLength(1);
		expect(downloads()).toBe(6);
		expect(postedVideos(harness)).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual(charged(JOB_COST));
	});

	it('an upload Discord refuses (not an outage) goes out as a link instead, and the credits are kept', async () => {
		await start();
		const { command, taskId } = await makeVideo(() =>
			harness.discord.failRoutes({ ...VIDEO_POSTS, withFiles: true }, { status: 400 }),
		);
		const posted = await waitForDelivered(harness, command);
		expect(posted.attachments).toHaveLength(0);
		expect(posted.content).toContain('Discord did not accept the upload, so here is a link.');
		expect(posted.content).toContain(harness.modelverse.videoUrl(taskId));
		expect(visibleText(command.original())).toContain('Discord refused the upload, so posted as a link');
		expect(postedVideos(harness)).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual(charged(JOB_COST));
	});

	it('a video whose link dies before Discord takes it ends as made-but-not-delivered: credits kept, member and operator told', async () => {
		// 0.0005 hours = 1.8 s of life for the provider's URL.
		await start({ env: { RESULT_URL_LIFETIME_HOURS: '0.0005' } });
		const { command, taskId } = await makeVideo(() => harness.discord.failRoutes(VIDEO_POSTS, { status: 503 }));

		const shown = await jobEnded(harness, command);
		expect(shown).toContain('Made, but not delivered');
		expect(shown).toContain('Discord could not take it before the video service’s link expired');
		expect(postedVideos(harness)).toEqual([]);
		expect(await creditsOf(harness)).toEqual(charged(JOB_COST));
		const [submission] = harness.modelverse.submissions;
		expect(logEntries(harness, { msg: /its link expired before Discord took it/, level: ERROR })).toEqual([
			expect.objectContaining({ taskId, requestId: submission?.requestId, jobId: expect.any(String) }),
		]);
		const listed = await jobsOf(harness);
		expect(listed).toMatch(/^• made, link expired before it could be posted · /m);
		expect(listed).not.toContain(harness.modelverse.videoUrl(taskId));
	});

	it.each([
		{ lost: 'answered 503', fault: { answerLost: 503 } as const, env: { DISCORD_REST_TIMEOUT_MS: '600' } },
		{ lost: 'held past discord.js’s timeout', fault: { hold: true } as const, env: { DISCORD_REST_TIMEOUT_MS: '600' } },
	])(
		'Discord takes the follow-up but its answer is lost ($lost): the bot finds the video in the channel and posts it no more',
		async ({ fault, env }) => {
			await start({ env });
			const { command, endOutage } = await makeVideo(() => harness.discord.failRoutes(FOLLOWUP_UPLOADS, fault));

			const posted = await waitForDelivered(harness, command);
			const uploads = () =>
				harness.discord.requests.filter((request) => request.method === 'POST' && request.files.length > 0);
			endOutage();
			// A held answer is recorded once it is sent, which the fault's end allows.
			await harness.discord.waitFor(() => uploads().length > 0);
			expect(posted.attachments).toHaveLength(1);
			expect(postedVideos(harness)).toEqual([posted]);
			expect(uploads()).toHaveLength(1);
			const historyRead = harness.discord.requests.filter(
				(request) => request.method === 'GET' && request.route === '/channels/{channel_id}/messages',
			);
			expect(historyRead.length).toBeGreaterThan(0);
			expect(progressTitles(harness, command).at(-1)).toBe('Done');
			expect(await creditsOf(harness)).toEqual(charged(JOB_COST));
		},
	);

	it.each([
		{ refusal: '50027 Invalid Webhook Token', fault: { status: 401, code: 50027, message: 'Invalid Webhook Token' } },
		{ refusal: 'a bare 401', fault: { status: 401 } },
	])(
		'a follow-up refused as with an expired token ($refusal): the video is posted once in the channel instead',
		async ({ fault }) => {
			await start();
			const { command } = await makeVideo(() => harness.discord.failRoutes(FOLLOWUP_UPLOADS, fault));

			const posted = await waitForDelivered(harness, command);
			expect(posted.attachments).toHaveLength(1);
			expect(postedVideos(harness)).toEqual([posted]);
			const channelPost = harness.discord.requests.find(
				(request) => request.method === 'POST' && request.route === '/channels/{channel_id}/messages',
			);
			expect(channelPost?.body).toMatchObject({ nonce: expect.any(String), enforce_nonce: true });
			expect(channelPost?.response).toMatchObject({ id: posted.id });
			expect(await creditsOf(harness)).toEqual(charged(JOB_COST));
		},
	);
});
