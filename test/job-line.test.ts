import type { APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../standins/discord/index.js';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import {
	charged,
	creditsOf,
	jobEnded,
	MEMBER,
	postedVideos,
	privateAnswer,
	runQuota,
	runVideo,
	someMember,
	usageOf,
	visibleText,
	waitForProgressText,
} from '../standins/journeys.js';
import { PNG } from '../standins/media-fixtures.js';
import { startHarnessForTest } from './support/harness-per-test.js';

const MANAGE_MESSAGES = (1n << 13n).toString();

/** 360p costs 1 credit a second: every job here costs 5. */
const job = (prompt: string) => ({ prompt, resolution: '360p', duration: 5 }) as const;

/** Tasks run until the test finishes them, so who holds a running slot is the test's to say. */
async function start(env: Record<string, string>, options: HarnessOptions = {}): Promise<Harness> {
	return startHarnessForTest({ ...options, env, modelverse: { hold: true } });
}

const submittedPrompts = (harness: Harness) =>
	harness.modelverse.submissions.map((submission) => submission.body.input.prompt);

/** The provider finishes the task of the latest job sent with this prompt. */
async function finish(harness: Harness, prompt: string): Promise<void> {
	const taskId = await harness.discord.waitFor(
		() => harness.modelverse.submissions.findLast((submission) => submission.body.input.prompt === prompt)?.taskId,
	);
	harness.modelverse.complete(taskId, 'Success');
}

function cancelButtonOf(message: APIMessage | undefined): string | undefined {
	return /video:cancel:[\w-]+/.exec(JSON.stringify(message?.components ?? []))?.[0];
}

function pressCancel(harness: Harness, waiting: InteractionHandle, user = MEMBER, memberPermissions?: string) {
	const reply = waiting.original();
	const customId = cancelButtonOf(reply);
	if (!reply || !customId) throw new Error(`no Cancel button on the reply: ${visibleText(reply)}`);
	return harness.discord.pressButton({
		messageId: reply.id,
		customId,
		user,
		...(memberPermissions ? { memberPermissions } : {}),
	});
}

/**
 * Waits until the job's reply shows it at the provider: queued there, or already rendering (a reply edited often in a
 * few seconds shows only its latest state, as Discord's limit for it allows).
 */
async function atProvider(harness: Harness, handle: InteractionHandle): Promise<void> {
	await harness.discord.waitFor(
		() => /Queued at the video service|Rendering/.test(visibleText(handle.original())),
		10_000,
	);
}

/** Runs a job and waits until it is sent to the provider (it then holds a running slot until finished). */
async function running(harness: Harness, prompt: string, user = MEMBER): Promise<InteractionHandle> {
	const handle = runVideo(harness, 'text', job(prompt), { user });
	await atProvider(harness, handle);
	return handle;
}

async function waiting(
	harness: Harness,
	prompt: string,
	place: string,
	extra: { user?: typeof MEMBER; locale?: string } = {},
): Promise<InteractionHandle> {
	const handle = runVideo(harness, 'text', job(prompt), extra);
	await waitForProgressText(harness, handle, place);
	return handle;
}

describe('a job over the running limits waits in line instead of being refused', () => {
	it('the second job waits with its place shown, charged at once, and starts when the first ends; its credits are spent once', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_MEMBER: '1' });
		const first = await running(harness, 'first');
		const second = await waiting(harness, 'second', 'Waiting in line: 1st');
		expect(cancelButtonOf(second.original())).toBeDefined();
		expect(submittedPrompts(harness)).toEqual(['first']);
		expect(await creditsOf(harness)).toEqual({ member: 10, server: 10, memberRunning: 1, serverRunning: 1 });
		expect(await usageOf(harness)).toContain('Yours waiting in line\n1 (at most 3); their credits are counted above');

		await finish(harness, 'first');
		await jobEnded(harness, first);
		await atProvider(harness, second);
		expect(cancelButtonOf(second.original())).toBeUndefined();
		await finish(harness, 'second');
		expect(await jobEnded(harness, second)).toContain('Your video: https://discord.com/channels/');
		expect(submittedPrompts(harness)).toEqual(['first', 'second']);
		expect(postedVideos(harness)).toHaveLength(2);
		expect(await creditsOf(harness)).toEqual(charged(10));
	});

	it('past MAX_QUEUED_JOBS_PER_MEMBER the member is refused privately, and nothing is charged for it', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_MEMBER: '1', MAX_QUEUED_JOBS_PER_MEMBER: '1' });
		await running(harness, 'runs');
		await waiting(harness, 'waits', 'Waiting in line: 1st');
		const refused = runVideo(harness, 'text', job('refused'));
		expect(await privateAnswer(harness, refused)).toBe(
			'You already have 1 videos waiting in line, and the most at once is 1. Try again when one starts; nothing was charged.',
		);
		const zh = runVideo(harness, 'text', job('refused too'), { locale: 'zh-CN' });
		expect(await privateAnswer(harness, zh)).toBe(
			'你已有 1 个视频在排队，同时最多排队 1 个。请等其中一个开始后再试；本次未扣额度。',
		);
		expect(await creditsOf(harness)).toEqual({ member: 10, server: 10, memberRunning: 1, serverRunning: 1 });
		expect(submittedPrompts(harness)).toEqual(['runs']);
	});

	it('the line is fair between members: one member’s three jobs do not hold up another’s one, and admins see it in /quota show', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_SERVER: '1' });
		const [ann, ben] = [someMember(1), someMember(2)];
		await running(harness, 'ann 1', ann);
		const ann2 = await waiting(harness, 'ann 2', 'Waiting in line: 1st', { user: ann });
		const ann3 = await waiting(harness, 'ann 3', 'Waiting in line: 2nd', { user: ann });
		const ben1 = await waiting(harness, 'ben 1', 'Waiting in line: 2nd', { user: ben });
		await waitForProgressText(harness, ann3, 'Waiting in line: 3rd');
		expect(visibleText(ann2.original())).toContain('Waiting in line: 1st');

		const shown = await privateAnswer(harness, runQuota(harness, 'show'));
		expect(shown).toContain('Videos being made\n1 (at most 1 at once)');
		expect(shown).toMatch(
			new RegExp(
				`Waiting in line\\n3 \\(at most 3 per member\\) · the oldest since <t:\\d+:R>\\n<@${ann.id}>: 2\\n<@${ben.id}>: 1`,
			),
		);

		await finish(harness, 'ann 1');
		await atProvider(harness, ann2);
		await waitForProgressText(harness, ben1, 'Waiting in line: 1st');
		await waitForProgressText(harness, ann3, 'Waiting in line: 2nd');
		await finish(harness, 'ann 2');
		await atProvider(harness, ben1);
		await finish(harness, 'ben 1');
		await atProvider(harness, ann3);
		await finish(harness, 'ann 3');
		await jobEnded(harness, ann3);
		expect(submittedPrompts(harness)).toEqual(['ann 1', 'ann 2', 'ben 1', 'ann 3']);
		expect(await privateAnswer(harness, runQuota(harness, 'show'))).toContain('Waiting in line\nNobody is waiting.');
	});

	it('a place is shown in the member’s language and moves up as the line moves', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_SERVER: '1' });
		await running(harness, 'runs', someMember(1));
		const ahead = await waiting(harness, 'ahead', 'Waiting in line: 1st', { user: someMember(2) });
		const behind = await waiting(harness, 'behind', '排队等候中：第 2 位', { user: someMember(3), locale: 'zh-CN' });
		expect(cancelButtonOf(behind.original())).toBeDefined();
		expect(JSON.stringify(behind.original()?.components)).toContain('"label":"取消"');

		await privateAnswer(harness, pressCancel(harness, ahead, someMember(2)));
		await waitForProgressText(harness, behind, '排队等候中：第 1 位');
	});
});

describe('Cancel on a waiting job', () => {
	it('the requester cancels: the credits return, the reply says so, and nothing is ever submitted for it', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_MEMBER: '1' });
		const first = await running(harness, 'first');
		const second = await waiting(harness, 'second', 'Waiting in line: 1st');

		const press = pressCancel(harness, second);
		expect(await privateAnswer(harness, press)).toBe('Cancelled: nothing was sent, and the 5 credits were returned.');
		const ended = await jobEnded(harness, second);
		expect(ended).toContain('Cancelled while waiting in line, before anything was sent. Your 5 credits were returned.');
		expect(cancelButtonOf(second.original())).toBeUndefined();
		expect(await creditsOf(harness)).toEqual({ member: 5, server: 5, memberRunning: 1, serverRunning: 1 });

		await finish(harness, 'first');
		await jobEnded(harness, first);
		expect(await creditsOf(harness)).toEqual(charged(5));
		expect(submittedPrompts(harness)).toEqual(['first']);
	});

	it('another member without Manage Messages is refused and the job waits on; a moderator may cancel it', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_MEMBER: '1' });
		await running(harness, 'first');
		const second = await waiting(harness, 'second', 'Waiting in line: 1st');

		const stranger = pressCancel(harness, second, someMember(7));
		expect(await privateAnswer(harness, stranger)).toBe(
			'Only the member who asked for this video, or someone with Manage Messages, can cancel it.',
		);
		expect(visibleText(second.original())).toContain('Waiting in line: 1st');
		expect(await creditsOf(harness)).toMatchObject({ member: 10 });

		const moderator = pressCancel(harness, second, someMember(8), MANAGE_MESSAGES);
		expect(await privateAnswer(harness, moderator)).toContain('the 5 credits were returned');
		expect(await jobEnded(harness, second)).toContain('Cancelled by a moderator while waiting in line');
		expect(await creditsOf(harness)).toMatchObject({ member: 5, memberRunning: 1 });
		expect(submittedPrompts(harness)).toEqual(['first']);
	});

	it('a job that has left the line can no longer be cancelled: the press is answered privately and the job goes on', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_MEMBER: '1' });
		await running(harness, 'first');
		const second = await waiting(harness, 'second', 'Waiting in line: 1st');
		// Discord refuses the reply's later edits, so its Cancel button is still there to press once the job has left.
		const frozen = harness.discord.failRoutes(
			{ method: 'PATCH', path: new RegExp(`/webhooks/\\d+/${encodeURIComponent(second.token)}/messages/@original$`) },
			{ status: 403 },
		);
		await finish(harness, 'first');
		await harness.discord.waitFor(() => submittedPrompts(harness).includes('second'), 10_000);

		const late = pressCancel(harness, second);
		expect(await privateAnswer(harness, late)).toBe(
			'This job is no longer waiting in line (it has started or ended), so it can no longer be cancelled.',
		);
		frozen.end();
		await finish(harness, 'second');
		expect(await jobEnded(harness, second)).toContain('Your video:');
		expect(await creditsOf(harness)).toEqual(charged(10));
	});
});

describe('the line and everything else', () => {
	it('a restart keeps the line in its order, and nothing is submitted twice', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_SERVER: '1' });
		const [ann, ben] = [someMember(1), someMember(2)];
		await running(harness, 'ann 1', ann);
		const ann2 = await waiting(harness, 'ann 2', 'Waiting in line: 1st', { user: ann });
		await waiting(harness, 'ann 3', 'Waiting in line: 2nd', { user: ann });
		const ben1 = await waiting(harness, 'ben 1', 'Waiting in line: 2nd', { user: ben });

		await harness.restart();
		expect(visibleText(ben1.original())).toContain('Waiting in line: 2nd');
		await finish(harness, 'ann 1');
		await atProvider(harness, ann2);
		await finish(harness, 'ann 2');
		await atProvider(harness, ben1);
		await finish(harness, 'ben 1');
		await harness.discord.waitFor(() => submittedPrompts(harness).length === 4, 10_000);
		await finish(harness, 'ann 3');
		await harness.discord.waitFor(() => postedVideos(harness, ann.id).length === 3, 10_000);
		expect(submittedPrompts(harness)).toEqual(['ann 1', 'ann 2', 'ben 1', 'ann 3']);
		expect(await creditsOf(harness, ann)).toEqual({ member: 15, server: 20, memberRunning: 0, serverRunning: 0 });
	});

	it('an image job is checked and fetched once when it joins the line, and sent from what was stored when its turn comes', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_MEMBER: '1' });
		await running(harness, 'first');
		const image = runVideo(harness, 'image', {
			image: { attachment: { filename: 'cat.png', bytes: PNG } },
			prompt: 'the cat blinks',
			resolution: '360p',
			duration: 5,
		});
		await waitForProgressText(harness, image, 'Waiting in line: 1st');
		const fetches = () => harness.discord.attachmentFetches.filter((fetch) => fetch.path.endsWith('/cat.png'));
		expect(fetches()).toHaveLength(1);

		await finish(harness, 'first');
		await finish(harness, 'the cat blinks');
		await jobEnded(harness, image);
		const sent = harness.modelverse.submissions[1]?.body.input;
		expect(sent?.img_url).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
		expect(fetches()).toHaveLength(1);
	});

	it('a job that waits past QUEUE_DEADLINE_MINUTES ends with its credits returned, and the member is told', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_MEMBER: '1', QUEUE_DEADLINE_MINUTES: '0.01' });
		await running(harness, 'first');
		const second = runVideo(harness, 'text', job('second'));
		expect(await jobEnded(harness, second)).toContain('without its turn coming, so it was not sent');
		expect(await creditsOf(harness)).toEqual({ member: 5, server: 5, memberRunning: 1, serverRunning: 1 });
		expect(submittedPrompts(harness)).toEqual(['first']);
	});

	it('Reroll and Extend wait in line too when the member runs all they may', async () => {
		const harness = await start({ MAX_RUNNING_JOBS_PER_MEMBER: '1' });
		const first = await running(harness, 'first');
		await finish(harness, 'first');
		await jobEnded(harness, first);
		const [posted] = postedVideos(harness);
		await running(harness, 'second');

		const rerollId = /video:reroll:[\w-]+/.exec(JSON.stringify(posted?.components ?? []))?.[0] ?? '';
		const reroll = harness.discord.pressButton({ messageId: posted?.id ?? '', customId: rerollId, user: MEMBER });
		await waitForProgressText(harness, reroll, 'Waiting in line: 1st');
		const extendId = /video:extend:[\w-]+/.exec(JSON.stringify(posted?.components ?? []))?.[0] ?? '';
		harness.discord.pressButton({ messageId: posted?.id ?? '', customId: extendId, user: MEMBER });
		const extend = harness.discord.submitModal({
			customId: extendId.replace(':extend:', ':extend-prompt:'),
			fields: { prompt: 'and then it rains' },
			user: MEMBER,
			messageId: posted?.id ?? '',
		});
		await waitForProgressText(harness, extend, 'Waiting in line: 2nd');
		expect(submittedPrompts(harness)).toEqual(['first', 'second']);

		await finish(harness, 'second');
		await harness.discord.waitFor(() => submittedPrompts(harness).length === 3, 10_000);
		await finish(harness, 'first');
		await harness.discord.waitFor(() => submittedPrompts(harness).length === 4, 10_000);
		expect(submittedPrompts(harness)).toEqual(['first', 'second', 'first', 'and then it rains']);
	});
});
