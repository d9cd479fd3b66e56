import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandOptionValue, InteractionHandle } from '../standins/discord/index.js';
import { type Harness, startHarness } from '../standins/harness.js';
import {
	attachment,
	charged,
	creditsOf,
	logEntries,
	MEMBER,
	privateAnswer,
	runVideo,
	waitForPostedVideo,
} from '../standins/journeys.js';
import { GIF, JPEG, MP4, PDF, PNG, TEXT } from '../standins/media-fixtures.js';

const MB = 1024 * 1024;
const GOOD_IMAGE = attachment('cat.png', PNG);

/** A PNG whose bytes go on past 20 MB while the client claims it is small. */
const OVERSIZED_PNG = Buffer.concat([PNG, Buffer.alloc(21 * MB)]);

interface BadInput {
	what: string;
	subcommand: 'text' | 'image' | 'frames' | 'extend';
	options: Record<string, CommandOptionValue>;
	told: string | RegExp;
	reason: string;
}

const badInputs: BadInput[] = [
	{
		what: 'a PDF given as the image',
		subcommand: 'image',
		options: { image: attachment('menu.pdf', PDF, { contentType: 'application/pdf' }), prompt: 'a dancing menu' },
		told: '`image` is not a PNG, JPEG or WebP image.',
		reason: 'input.notImage',
	},
	{
		what: 'a text file named .png',
		subcommand: 'image',
		options: { image: attachment('notes.png', TEXT), prompt: 'notes come alive' },
		told: '`image` is labelled PNG, but the file is actually TXT.',
		reason: 'input.typeMismatch',
	},
	{
		what: 'a JPEG that says it is a PNG',
		subcommand: 'image',
		options: { image: attachment('photo.png', JPEG), prompt: 'the photo moves' },
		told: '`image` is labelled PNG, but the file is actually JPEG.',
		reason: 'input.typeMismatch',
	},
	{
		what: 'a GIF, which the provider does not take',
		subcommand: 'image',
		options: { image: attachment('loop.gif', GIF), prompt: 'the loop plays' },
		told: '`image` is not a PNG, JPEG or WebP image.',
		reason: 'input.notImage',
	},
	{
		what: 'an empty image',
		subcommand: 'image',
		options: { image: attachment('blank.png', Buffer.alloc(0)), prompt: 'nothing at all' },
		told: 'The `image` attachment is empty.',
		reason: 'input.attachmentEmpty',
	},
	{
		what: 'an image that claims a size but has no bytes',
		subcommand: 'image',
		options: { image: attachment('blank.png', Buffer.alloc(0), { size: 2048 }), prompt: 'nothing at all' },
		told: 'The `image` attachment is empty.',
		reason: 'input.attachmentEmpty',
	},
	{
		what: 'an image declared at 25 MB',
		subcommand: 'image',
		options: { image: attachment('huge.png', PNG, { size: 25 * MB }), prompt: 'a huge cat' },
		told: '`image` is 25.0 MB; images must be under 20.0 MB.',
		reason: 'input.imageTooLarge',
	},
	{
		what: 'an image declared small that is really over 20 MB',
		subcommand: 'image',
		options: { image: attachment('sneaky.png', OVERSIZED_PNG, { size: 4096 }), prompt: 'a sneaky cat' },
		told: /^`image` is \d+\.\d MB; images must be under 20\.0 MB\.$/,
		reason: 'input.imageTooLarge',
	},
	{
		what: 'a last frame that is not an image',
		subcommand: 'frames',
		options: { first: GOOD_IMAGE, last: attachment('end.pdf', PDF, { contentType: 'application/pdf' }), prompt: 'x' },
		told: '`last` is not a PNG, JPEG or WebP image.',
		reason: 'input.notImage',
	},
	{
		what: 'a PNG given as the video to extend',
		subcommand: 'extend',
		options: { prompt: 'keep going', video: attachment('clip.mp4', PNG) },
		told: '`video` is labelled MP4, but the file is actually PNG.',
		reason: 'input.typeMismatch',
	},
	{
		what: 'a PDF given as the video to extend',
		subcommand: 'extend',
		options: { prompt: 'keep going', video: attachment('clip.pdf', PDF, { contentType: 'application/pdf' }) },
		told: '`video` is not an MP4, MOV or WebM video.',
		reason: 'input.notVideo',
	},
	{
		what: 'extend given both a video and a url',
		subcommand: 'extend',
		options: { prompt: 'keep going', video: attachment('clip.mp4', MP4), url: 'https://media.example.com/a.mp4' },
		told: 'Give exactly one of `video` (an attachment) or `url` (a link).',
		reason: 'input.extendNeedsOne',
	},
	{
		what: 'extend given neither a video nor a url',
		subcommand: 'extend',
		options: { prompt: 'keep going' },
		told: 'Give exactly one of `video` (an attachment) or `url` (a link).',
		reason: 'input.extendNeedsOne',
	},
	{
		what: 'a plain http url',
		subcommand: 'extend',
		options: { prompt: 'keep going', url: 'http://media.example.com/a.mp4' },
		told: 'The link must start with https://.',
		reason: 'input.urlNotHttps',
	},
	{
		what: 'a url that is not a link at all',
		subcommand: 'extend',
		options: { prompt: 'keep going', url: 'my holiday video' },
		told: '`my holiday video` is not a valid link.',
		reason: 'input.urlInvalid',
	},
	...['https://127.0.0.1/a.mp4', 'https://10.0.0.7/a.mp4', 'https://[::1]/a.mp4', 'https://localhost/a.mp4'].map(
		(url): BadInput => ({
			what: `a url pointing at ${new URL(url).hostname}`,
			subcommand: 'extend',
			options: { prompt: 'keep going', url },
			told: 'The link points at a private or local address, which the video service cannot reach.',
			reason: 'input.urlPrivate',
		}),
	),
	{
		what: 'an empty prompt',
		subcommand: 'text',
		options: { prompt: '' },
		told: 'The prompt is empty. Describe the video you want.',
		reason: 'input.promptEmpty',
	},
	{
		what: 'a prompt of only whitespace',
		subcommand: 'image',
		options: { image: GOOD_IMAGE, prompt: ' \n\t  ' },
		told: 'The prompt is empty. Describe the video you want.',
		reason: 'input.promptEmpty',
	},
	{
		what: 'a prompt of 2049 characters (past the option maximum a client can ignore)',
		subcommand: 'text',
		options: { prompt: 'a'.repeat(2049) },
		told: 'The prompt is 2049 characters long; the most is 2048.',
		reason: 'input.promptTooLong',
	},
	...[0, 16, 2.5].map(
		(duration): BadInput => ({
			what: `a duration of ${duration}`,
			subcommand: 'text',
			options: { prompt: 'waves', duration },
			told: 'The duration must be a whole number of seconds from 1 to 15.',
			reason: 'input.durationRange',
		}),
	),
	...[-1, 2_147_483_648].map(
		(seed): BadInput => ({
			what: `a seed of ${seed}`,
			subcommand: 'text',
			options: { prompt: 'waves', seed },
			told: 'The seed must be a whole number from 0 to 2147483647.',
			reason: 'input.seedRange',
		}),
	),
	{
		what: 'a resolution that is not one of the choices',
		subcommand: 'image',
		options: { image: GOOD_IMAGE, prompt: 'waves', resolution: '4k' },
		told: '`4k` is not a valid resolution.',
		reason: 'input.choiceInvalid',
	},
	{
		what: 'an aspect ratio that is not one of the choices',
		subcommand: 'text',
		options: { prompt: 'waves', aspect_ratio: '5:4' },
		told: '`5:4` is not a valid aspect_ratio.',
		reason: 'input.choiceInvalid',
	},
];

describe('bad input gets a clear private answer, nothing is submitted, and the bot keeps running', () => {
	let harness: Harness;

	beforeEach(async () => {
		// The follow-up good job only has to prove the bot still works, so the provider renders it at once.
		harness = await startHarness({ modelverse: { plan: () => ({ queueMs: 0, renderMs: 10, outcome: 'Success' }) } });
	});

	afterEach(async () => {
		await harness.closeChecked();
	});

	async function expectNothingSubmittedOrCharged(): Promise<void> {
		expect(harness.modelverse.submissions).toEqual([]);
		expect(harness.modelverse.rejected).toEqual([]);
		expect(await creditsOf(harness)).toEqual(charged(0));
	}

	async function expectAGoodCommandStillWorks(): Promise<void> {
		runVideo(harness, 'text', { prompt: 'a calm lake at sunrise' });
		await waitForPostedVideo(harness);
		expect(harness.modelverse.submissions.map((submission) => submission.body.input)).toEqual([
			{ prompt: 'a calm lake at sunrise' },
		]);
	}

	async function expectToldPrivately(handle: InteractionHandle, told: string | RegExp): Promise<void> {
		const answer = await privateAnswer(harness, handle);
		if (typeof told === 'string') expect(answer).toBe(told);
		else expect(answer).toMatch(told);
		await harness.discord.waitFor(() => handle.original() === undefined);
		expect(handle.callbacks()).toMatchObject([{ type: 5 }]);
	}

	it.each(badInputs.map((input) => [input.what, input]))('%s', async (_what, input) => {
		const handle = runVideo(harness, input.subcommand, input.options);

		await expectToldPrivately(handle, input.told);
		expect(logEntries(harness, { msg: /command refused/ })).toEqual([
			expect.objectContaining({ level: 30, reason: input.reason, userId: MEMBER.id, guildId: harness.discord.guildId }),
		]);
		await expectNothingSubmittedOrCharged();
		await expectAGoodCommandStillWorks();
	});

	it('a member writing in Chinese is told in Chinese', async () => {
		const handle = runVideo(harness, 'extend', { prompt: '继续', url: 'https://10.0.0.7/a.mp4' }, { locale: 'zh-CN' });
		await expectToldPrivately(handle, '该链接指向私有或本地地址，视频服务无法访问。');
		await expectNothingSubmittedOrCharged();
	});

	describe('a /video command used in a DM', () => {
		const runInDm = () =>
			harness.discord.runCommand({
				name: 'video',
				subcommand: 'text',
				options: { prompt: 'waves at dusk' },
				user: MEMBER,
				inDm: true,
			});

		it('is told, privately, that it only works in a server; nothing is submitted', async () => {
			const handle = runInDm();
			await harness.discord.waitFor(() => handle.callbacks().length > 0);
			expect(handle.callbacks()).toMatchObject([
				{ type: 4, data: { content: 'This command only works in a server.', flags: 64 } },
			]);
			expect(harness.modelverse.submissions).toEqual([]);
			expect(harness.modelverse.rejected).toEqual([]);
			await expectAGoodCommandStillWorks();
		});

		it('leaves a log line for the operator', async () => {
			const handle = runInDm();
			const line = await harness.discord.waitFor(() =>
				logEntries(harness).find((entry) => entry.interactionId === handle.id || entry.userId === MEMBER.id),
			);
			expect(line).toMatchObject({ userId: MEMBER.id });
		});
	});
});
