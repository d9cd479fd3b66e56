import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../standins/discord/index.js';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import { jobsOf, MEMBER, postedVideos, runVideo, visibleText, waitForDelivered } from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

describe('a job outlives what Discord gives it', () => {
	let harness: Harness;
	const start = async (options: HarnessOptions = {}) => (harness = await startHarnessForTest(options));

	const botMessages = () =>
		harness.discord
			.channelMessages(harness.discord.channelId)
			.filter(
				(message) => message.author.id === harness.discord.botUserId && message.interaction_metadata === undefined,
			);

	async function submittedTask(): Promise<string> {
		return harness.discord.waitFor(() => harness.modelverse.submissions[0]?.taskId);
	}

	it('when the interaction token dies, progress moves to a message the bot owns and the video still arrives', async () => {
		await start({ modelverse: { hold: true } });
		const command = runVideo(harness, 'text', { prompt: 'a train crossing a bridge' });
		const taskId = await submittedTask();
		await harness.discord.waitFor(() => visibleText(command.original()).includes('Queued'));
		harness.discord.expireToken(command.token);

		harness.modelverse.complete(taskId, 'Success');
		const posted = await harness.discord.waitFor(() => postedVideos(harness)[0], 10_000);
		expect(posted.attachments).toHaveLength(1);
		const progress = await harness.discord.waitFor(() =>
			botMessages().find((message) => message.id !== posted.id && visibleText(message).includes(posted.id)),
		);
		expect(progress.content).toBe(`<@${MEMBER.id}>`);
		expect(harness.discord.requests.some((request) => request.status === 401)).toBe(true);
	});

	it('when a moderator deletes the progress reply, the job carries on in a new message', async () => {
		await start({ modelverse: { hold: true } });
		const command = runVideo(harness, 'text', { prompt: 'lanterns rising' });
		const taskId = await submittedTask();
		const reply = await harness.discord.waitFor(() => command.original());
		harness.discord.deleteMessage(harness.discord.channelId, reply.id);

		harness.modelverse.complete(taskId, 'Success');
		const posted = await harness.discord.waitFor(() => postedVideos(harness)[0], 10_000);
		const progress = await harness.discord.waitFor(() =>
			botMessages().find((message) => message.id !== posted.id && visibleText(message).includes(posted.id)),
		);
		expect(progress.id).not.toBe(reply.id);
		expect(progress.content).toBe(`<@${MEMBER.id}>`);
		expect(visibleText(progress)).toContain('Done');
		expect(harness.discord.findMessage(reply.id)).toBeUndefined();
		expect(postedVideos(harness)).toHaveLength(1);
		expect(posted.attachments).toHaveLength(1);
	});

	it('a video over the interaction’s upload limit is posted as a link that says it expires', async () => {
		await start({
			modelverse: { plan: () => ({ queueMs: 20, renderMs: 50, outcome: 'Success', videoBytes: 300_000 }) },
		});
		const command = runVideo(harness, 'text', { prompt: 'a long take' }, { attachmentSizeLimit: 100_000 });
		const posted = await waitForDelivered(harness, command);
		expect(posted.attachments).toHaveLength(0);
		expect(posted.content).toContain(harness.modelverse.videoUrl(harness.modelverse.submissions[0]?.taskId ?? ''));
		expect(posted.content).toMatch(/expires in about a day/);
	});

	it('a video Discord refuses as too large (40005) is posted as a link instead', async () => {
		await start({
			modelverse: { plan: () => ({ queueMs: 20, renderMs: 50, outcome: 'Success', videoBytes: 80_000 }) },
		});
		// Within the interaction's stated limit, yet refused: Discord's limits can change under a running bot.
		harness.discord.failRoutes(
			{ method: 'POST', path: /^\/webhooks\/\d+\/[^/]+$/, withFiles: true },
			{ status: 413, code: 40005, message: 'Request entity too large' },
		);
		const command = runVideo(harness, 'text', { prompt: 'a wide shot' });
		const posted = await waitForDelivered(harness, command);
		expect(posted.attachments).toHaveLength(0);
		expect(harness.discord.requests.some((request) => request.status === 413)).toBe(true);
		expect(visibleText(command.original())).toContain('link');
	});

	it('without permission to post in the channel and with a dead token, the video goes to the member by DM', async () => {
		await start({ modelverse: { hold: true } });
		const command = runVideo(harness, 'text', { prompt: 'a snowy owl' });
		const taskId = await submittedTask();
		harness.discord.denyChannelPermission(harness.discord.channelId);
		harness.discord.expireToken(command.token);
		harness.modelverse.complete(taskId, 'Success');

		const dm = await harness.discord.waitFor(
			() =>
				harness.discord.requests.find(
					(request) => request.method === 'POST' && request.files.length > 0 && request.status === 200,
				),
			10_000,
		);
		expect(dm.path).not.toContain(harness.discord.channelId);
		expect(postedVideos(harness)).toHaveLength(0);
	});

	it('when Discord refuses every route, the video stays listed in /video jobs', async () => {
		await start({ modelverse: { hold: true } });
		const command = runVideo(harness, 'text', { prompt: 'a red balloon' });
		const taskId = await submittedTask();
		harness.discord.denyChannelPermission(harness.discord.channelId);
		harness.discord.closeDms(MEMBER.id);
		harness.discord.expireToken(command.token);
		harness.modelverse.complete(taskId, 'Success');

		const errorCode = (request: RecordedRequest) => (request.response as { code?: number } | undefined)?.code;
		const refusedDm = await harness.discord.waitFor(
			() =>
				harness.discord.requests.find(
					(request) => request.method === 'POST' && request.files.length > 0 && errorCode(request) === 50007,
				),
			10_000,
		);
		expect(refusedDm.path).not.toContain(harness.discord.channelId);
		const followup = `/webhooks/${harness.discord.applicationId}/${command.token}`;
		expect(
			harness.discord.requests.filter((request) => request.method === 'POST' && request.path === followup),
		).toMatchObject([{ status: 401 }]);
		expect(harness.discord.requests.filter((request) => request.files.length > 0 && request.status === 200)).toEqual(
			[],
		);

		await expect.poll(() => jobsOf(harness), { timeout: 10_000 }).toMatch(/^• done · text to video · /m);
		const listed = await jobsOf(harness);
		expect(listed).toContain(harness.modelverse.videoUrl(taskId));
	});

	it('a task that never finishes ends as timed out at the deadline, and the member is told', async () => {
		await start({ modelverse: { hold: true }, env: { JOB_DEADLINE_MINUTES: '0.01' } });
		const command = runVideo(harness, 'text', { prompt: 'an endless corridor' });
		await harness.discord.waitFor(() => visibleText(command.original()).includes('Timed out'), 10_000);
		expect(visibleText(command.original())).toMatch(/credits were returned/);
		expect(postedVideos(harness)).toHaveLength(0);
	});
});
