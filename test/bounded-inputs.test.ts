import type Keyv from 'keyv';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/store.js';
import type { Harness } from '../standins/harness.js';
import {
	attachment,
	creditsOf,
	jobEnded,
	MEMBER,
	privateAnswer,
	runVideo,
	someMember,
	waitForPostedVideo,
	waitForProgressText,
} from '../standins/journeys.js';
import { JPEG, PNG } from '../standins/media-fixtures.js';
import { startHarnessForTest } from './support/harness-per-test.js';

/** What a default 5 s, 720p job costs: 5 × 1.8. */
const JOB_COST = 9;

async function largeImage(format: 'png' | 'jpeg' | 'webp', width: number, height: number): Promise<Buffer> {
	const image = sharp({ create: { width, height, channels: 4, background: { r: 40, g: 90, b: 160, alpha: 0.5 } } });
	return image.toFormat(format).toBuffer();
}

function dataOf(field: string | undefined): { type: string; bytes: Buffer } {
	const match = /^data:([^;]+);base64,(.*)$/s.exec(field ?? '');
	if (!match) throw new Error(`not a data URI: ${field?.slice(0, 40)}`);
	return { type: match[1] ?? '', bytes: Buffer.from(match[2] ?? '', 'base64') };
}

describe('images are fetched only once a job may run, and reach the provider no larger than it needs', () => {
	let harness: Harness;

	const fetchesOf = (filename: string) =>
		harness.discord.attachmentFetches.filter((fetch) => fetch.path.endsWith(`/${filename}`));

	it('a member with no credits left sending /video frames is refused, and neither image is ever fetched', async () => {
		harness = await startHarnessForTest({ env: { DEFAULT_SERVER_CREDITS: '0' } });

		const handle = runVideo(harness, 'frames', {
			first: attachment('dawn.png', PNG),
			last: attachment('dusk.jpg', JPEG),
			prompt: 'the sun comes up',
		});

		expect(await privateAnswer(harness, handle)).toMatch(/would cost 9 credits, but the server has 0 left/);
		expect(harness.discord.attachmentFetches).toEqual([]);
		expect(harness.modelverse.received.filter((request) => request.route === 'submit')).toEqual([]);
		expect(await creditsOf(harness)).toEqual({ member: 0, server: 0, memberRunning: 0, serverRunning: 0 });
	});

	it('a member already running and waiting in line for their most jobs is refused /video frames before any image is fetched', async () => {
		harness = await startHarnessForTest({
			env: { MAX_RUNNING_JOBS_PER_MEMBER: '1', MAX_QUEUED_JOBS_PER_MEMBER: '1' },
			modelverse: { hold: true },
		});
		runVideo(harness, 'text', { prompt: 'a long render' });
		await harness.discord.waitFor(() => harness.modelverse.submissions.length === 1);
		await waitForProgressText(harness, runVideo(harness, 'text', { prompt: 'waits its turn' }), 'Waiting in line');

		const handle = runVideo(harness, 'frames', {
			first: attachment('dawn.png', PNG),
			last: attachment('dusk.jpg', JPEG),
			prompt: 'the sun comes up',
		});

		expect(await privateAnswer(harness, handle)).toMatch(/You already have 1 videos waiting in line/);
		expect(harness.discord.attachmentFetches).toEqual([]);
		expect(harness.modelverse.submissions).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual({
			member: 2 * JOB_COST,
			server: 2 * JOB_COST,
			memberRunning: 1,
			serverRunning: 1,
		});
	});

	it('Reroll by a member with no credits left is refused before the image is fetched again', async () => {
		harness = await startHarnessForTest({ env: { DEFAULT_SERVER_CREDITS: String(JOB_COST) } });
		runVideo(harness, 'image', { image: attachment('cat.png', PNG), prompt: 'the cat blinks' });
		const posted = await waitForPostedVideo(harness);
		expect(fetchesOf('cat.png')).toHaveLength(1);

		const rerollId = JSON.stringify(posted.components).match(/video:reroll:[\w-]+/)?.[0] ?? '';
		const press = harness.discord.pressButton({ messageId: posted.id, customId: rerollId, user: MEMBER });

		expect(await privateAnswer(harness, press)).toMatch(/would cost 9 credits, but the server has 0 left/);
		expect(fetchesOf('cat.png')).toHaveLength(1);
		expect(harness.modelverse.submissions).toHaveLength(1);
	});

	it.each([
		['png', 3000, 2000, 'image/png', { width: 1920, height: 1280 }],
		['jpeg', 2400, 3600, 'image/jpeg', { width: 1280, height: 1920 }],
		['webp', 4000, 1000, 'image/webp', { width: 1920, height: 480 }],
	] as const)(
		'a %s of %i × %i reaches the provider as a %s scaled to %o, beside a small image sent byte for byte',
		async (format, width, height, type, scaled) => {
			harness = await startHarnessForTest();
			const large = await largeImage(format, width, height);

			runVideo(harness, 'frames', {
				first: attachment(`large.${format}`, large),
				last: attachment('small.jpg', JPEG),
				prompt: 'from wide to close',
			});
			await waitForPostedVideo(harness);

			const [submission] = harness.modelverse.submissions;
			const first = dataOf(submission?.body.input.first_frame_url);
			expect(first.type).toBe(type);
			expect(await sharp(first.bytes).metadata()).toMatchObject({ format, ...scaled });
			expect(dataOf(submission?.body.input.last_frame_url)).toEqual({ type: 'image/jpeg', bytes: JPEG });
		},
	);

	it('an image that cannot be read once fetched is refused privately, its credits come back and nothing is submitted', async () => {
		harness = await startHarnessForTest();
		const whole = await largeImage('png', 3000, 2000);
		const cutShort = whole.subarray(0, Math.floor(whole.length / 2));

		const handle = runVideo(harness, 'image', { image: attachment('broken.png', cutShort), prompt: 'the cat blinks' });

		expect(await privateAnswer(harness, handle)).toBe(
			'`image` could not be read as an image; it may be damaged. Please try another file.',
		);
		expect(fetchesOf('broken.png')).toHaveLength(1);
		expect(harness.modelverse.received.filter((request) => request.route === 'submit')).toEqual([]);
		expect(await creditsOf(harness)).toEqual({ member: 0, server: 0, memberRunning: 0, serverRunning: 0 });
	});

	it('a second job’s images wait until the first job’s are sent: one job’s images in memory at a time', async () => {
		harness = await startHarnessForTest({ env: { IMAGE_JOBS_AT_ONCE: '1' } });
		harness.modelverse.injectFault('submit', { delayMs: 1_500 });
		const first = runVideo(harness, 'image', { image: attachment('first.png', PNG), prompt: 'one' });
		await harness.discord.waitFor(() => harness.modelverse.received.some((request) => request.route === 'submit'));

		const second = runVideo(
			harness,
			'image',
			{ image: attachment('second.png', PNG), prompt: 'two' },
			{ user: someMember(2) },
		);
		await harness.discord.waitFor(() => second.callbacks().length > 0);
		await harness.discord.waitFor(() => harness.modelverse.submissions.length === 1, 10_000);
		const firstSent = harness.modelverse.submissions[0]?.at ?? 0;

		await jobEnded(harness, first);
		await jobEnded(harness, second);
		expect(fetchesOf('second.png').map((fetch) => fetch.time >= firstSent)).toEqual([true]);
		expect(harness.modelverse.submissions.map((submission) => submission.body.input.prompt)).toEqual(['one', 'two']);
	});

	describe('an image job waiting after a 429 when the bot restarts', () => {
		let store: Keyv;

		async function waitingFramesJob() {
			harness = await startHarnessForTest({ openStore: (databaseUrl) => (store = openStore(databaseUrl)) });
			harness.modelverse.injectFault('submit', { status: 429, retryAfterSeconds: 600 });
			const handle = runVideo(harness, 'frames', {
				first: attachment('large.png', await largeImage('png', 3000, 2000)),
				last: attachment('small.jpg', JPEG),
				prompt: 'from wide to close',
			});
			await waitForProgressText(harness, handle, 'busy');
			return handle;
		}

		it('sends the very body it was refused, images and all, once, without fetching them again', async () => {
			const handle = await waitingFramesJob();

			await harness.restart();

			await waitForPostedVideo(harness);
			expect(await jobEnded(harness, handle)).toContain('Done');
			expect(harness.modelverse.submissions).toHaveLength(1);
			expect(harness.modelverse.submissions[0]?.body).toEqual(harness.modelverse.rejected[0]?.body);
			expect(fetchesOf('large.png')).toHaveLength(1);
			expect(await creditsOf(harness)).toEqual({
				member: JOB_COST,
				server: JOB_COST,
				memberRunning: 0,
				serverRunning: 0,
			});
		});

		it('with a piece of an image lost from the store, sends nothing partial: the job ends and the credits come back', async () => {
			const handle = await waitingFramesJob();
			const [jobId] = (await store.get<string[]>('jobs:open')) ?? [];
			expect(await store.delete(`job:${jobId}:submit-body:first_frame_url:0`)).toBe(true);

			await harness.restart();

			expect(await jobEnded(harness, handle)).toContain('The video service did not confirm this job');
			expect(harness.modelverse.submissions).toEqual([]);
			expect(await creditsOf(harness)).toEqual({ member: 0, server: 0, memberRunning: 0, serverRunning: 0 });
		});
	});
});
