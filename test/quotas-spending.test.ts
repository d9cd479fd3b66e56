import type Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/store.js';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import {
	jobEnded,
	MEMBER,
	privateAnswer,
	privateAnswerNow,
	progressReply,
	progressReplyNow,
	runQuota,
	runVideo,
	someMember,
	usageOf,
	waitForPostedVideo,
} from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

// 360p costs 1 credit a second, so a 5 s video at 360p costs 5.
const FIVE_CREDITS = { prompt: 'a paper boat on a pond', resolution: '360p', duration: 5 } as const;

describe('credits are reserved before a job is submitted and never overspent', () => {
	let harness: Harness;
	const start = async (options: HarnessOptions = {}) => (harness = await startHarnessForTest(options));

	const submitted = (count: number) => harness.discord.waitFor(() => harness.modelverse.submissions.length >= count);

	it('20 commands racing for a server limit that fits 5 jobs submit exactly 5, and usage counts exactly those', async () => {
		// Running limits high enough that only credits decide the race; tasks held so nothing ends while racing.
		await start({
			env: { MAX_RUNNING_JOBS_PER_MEMBER: '20', MAX_RUNNING_JOBS_PER_SERVER: '20' },
			modelverse: { hold: true },
		});
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 25, period: 'day' }));

		const members = [0, 1, 2, 3].map(someMember);
		const racers = Array.from({ length: 20 }, (_, index) =>
			runVideo(harness, 'text', FIVE_CREDITS, { user: members[index % members.length] ?? MEMBER }),
		);
		await harness.discord.waitFor(
			() => racers.every((handle) => privateAnswerNow(handle) ?? progressReplyNow(handle)),
			15_000,
		);

		const refusals = racers.flatMap((handle) => privateAnswerNow(handle) ?? []);
		expect(racers.filter((handle) => progressReplyNow(handle))).toHaveLength(5);
		expect(refusals).toHaveLength(15);
		for (const refusal of refusals) {
			expect(refusal).toMatch(/^This video would cost 5 credits, but the server has 0 left this period/);
		}
		await submitted(5);
		expect(harness.modelverse.submissions).toHaveLength(5);

		const usage = await usageOf(harness, members[0]);
		expect(usage).toContain('This server\n25 of 25 used · 0 left');
		expect(usage).toContain('server: 5 of 20');
		const shown = await privateAnswer(harness, runQuota(harness, 'show'));
		const heaviest = [...shown.matchAll(/<@\d+>: (\d+)/g)].map((match) => Number(match[1]));
		expect(heaviest.reduce((sum, credits) => sum + credits, 0)).toBe(25);
		expect(harness.modelverse.submissions).toHaveLength(5);
	});

	it('with no line (MAX_QUEUED_JOBS_PER_MEMBER=0) a member with 2 running jobs is refused a third, a full server refuses everyone, and a finished job frees a slot', async () => {
		await start({
			env: { MAX_RUNNING_JOBS_PER_SERVER: '3', MAX_QUEUED_JOBS_PER_MEMBER: '0' },
			modelverse: { hold: true },
		});
		const [other, third] = [someMember(1), someMember(2)];
		const first = runVideo(harness, 'text', FIVE_CREDITS);
		await submitted(1);
		runVideo(harness, 'text', FIVE_CREDITS);
		await submitted(2);

		expect(await privateAnswer(harness, runVideo(harness, 'text', FIVE_CREDITS))).toBe(
			'You already have 2 videos being made, and the most at once is 2. Try again when one finishes; nothing was charged.',
		);
		runVideo(harness, 'text', FIVE_CREDITS, { user: other });
		await submitted(3);
		expect(await privateAnswer(harness, runVideo(harness, 'text', FIVE_CREDITS, { user: third }))).toBe(
			'This server already has 3 videos being made, and the most at once is 3. Try again when one finishes; nothing was charged.',
		);
		expect(harness.modelverse.submissions).toHaveLength(3);
		expect(await usageOf(harness)).toContain('10 used · no limit of your own');

		harness.modelverse.complete(harness.modelverse.submissions[0]?.taskId ?? '', 'Success');
		expect(await jobEnded(harness, first)).toContain('Your video:');
		await progressReply(harness, runVideo(harness, 'text', FIVE_CREDITS));
		await submitted(4);
		expect(await usageOf(harness)).toContain('yours: 2 of 2 · server: 3 of 3');
	});

	it('a provider Failure returns the job’s credits, as /video usage shows', async () => {
		await start({ modelverse: { hold: true } });
		const handle = runVideo(harness, 'text', FIVE_CREDITS);
		await submitted(1);
		const whileRunning = await usageOf(harness);
		expect(whileRunning).toContain('You\n5 used · no limit of your own');
		expect(whileRunning).toContain('yours: 1 of 2');

		harness.modelverse.complete(harness.modelverse.submissions[0]?.taskId ?? '', 'Failure', 'content moderation');
		expect(await jobEnded(harness, handle)).toContain('Failed');
		const afterFailure = await usageOf(harness);
		expect(afterFailure).toContain('You\n0 used · no limit of your own');
		expect(afterFailure).toContain('This server\n0 of 1000 used · 1000 left');
		expect(afterFailure).toContain('yours: 0 of 2');
	});

	it('shows the cost in the progress reply and on the posted video: 1080p, 10 s, audio = ceil(10 × 3.6 × 1.3) = 47', async () => {
		await start();
		const handle = runVideo(harness, 'text', {
			prompt: 'fireworks over a harbour',
			resolution: '1080p',
			duration: 10,
			audio: true,
		});
		expect(await progressReply(harness, handle)).toMatch(/1080p · 10s · 16:9 · audio on · seed \d+ · 47 credits/);
		const posted = await waitForPostedVideo(harness);
		expect(posted.content).toMatch(/1080p · 10s · 16:9 · audio on · seed \d+ · 47 credits · rendered in/);
		await jobEnded(harness, handle);
		expect(await usageOf(harness)).toContain('You\n47 used');
	});

	it('a store that throws refuses the job (fail closed): the member gets the generic error privately, nothing is submitted, and the log says why', async () => {
		let store: Keyv | undefined;
		await start({ openStore: (databaseUrl) => (store = openStore(databaseUrl)) });
		await store?.disconnect();

		const handle = runVideo(harness, 'text', FIVE_CREDITS);
		expect(await privateAnswer(harness, handle)).toBe(
			'Something went wrong on our side. Please try again in a moment.',
		);
		await harness.discord.waitFor(() => handle.original() === undefined);
		expect(harness.modelverse.submissions).toHaveLength(0);
		const failure = harness.logs.entries().find((entry) => entry.msg === 'command failed');
		// The quota read itself threw: a store that swallowed the fault would have read "0 used" and failed later, if at all.
		expect(failure).toMatchObject({
			command: 'video text',
			userId: MEMBER.id,
			err: { message: 'SQLITE_MISUSE: Database is closed' },
		});
		expect(harness.logs.entries().some((entry) => entry.msg === 'task submitted')).toBe(false);
	});

	it('a zh-CN member is refused in Chinese', async () => {
		await start();
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 20, period: 'day', per_user: 0 }));
		const answer = await privateAnswer(harness, runVideo(harness, 'text', FIVE_CREDITS, { locale: 'zh-CN' }));
		expect(answer).toMatch(
			/^此视频需要 5 点额度，但你本周期只剩 0 点（服务器剩 20 点）。你的额度将于 <t:\d+:R> 重置。任务未提交。$/,
		);
		expect(harness.modelverse.submissions).toHaveLength(0);
	});
});
