import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../standins/discord/index.js';
import {
	postedVideos,
	progressTitles,
	runVideo,
	someMember,
	visibleText,
	waitForProgressText,
} from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

/** More jobs than one channel may post in one window, so their posts and edits must queue. */
const JOBS = 12;
/** Discord's observed limits, in short windows so the test stays short; the bot reads them from the answers. */
const SHORT_WINDOWS = {
	channelMessages: { limit: 5, windowMs: 1_000 },
	webhook: { limit: 5, windowMs: 1_000 },
};

const FOLLOWUP_ROUTE = '/webhooks/{webhook_id}/{webhook_token}';
const VIDEO_POST_ROUTES = new Set(['/channels/{channel_id}/messages', FOLLOWUP_ROUTE]);
const isVideoPost = (request: RecordedRequest) =>
	request.method === 'POST' && VIDEO_POST_ROUTES.has(request.route ?? '') && request.status === 200;

const finalTitle = (request: RecordedRequest) => (request.body as { embeds?: APIEmbed[] }).embeds?.[0]?.title;

/** JOBS members each send a command in one channel at once; resolves once every task reached the provider. */
async function burstInOneChannel(prompt: string) {
	const harness = await startHarnessForTest({
		discord: { rateLimits: SHORT_WINDOWS },
		modelverse: { hold: true },
		env: { MAX_RUNNING_JOBS_PER_SERVER: '100' },
	});
	const members = Array.from({ length: JOBS }, (_, index) => someMember(index));
	const commands = members.map((user, index) => runVideo(harness, 'text', { prompt: `${prompt} ${index}` }, { user }));
	const taskIds = await harness.discord.waitFor(
		() => harness.modelverse.submissions.length === JOBS && harness.modelverse.submissions.map((s) => s.taskId),
	);
	return { harness, members, commands, taskIds };
}

describe('a busy channel', () => {
	it('many jobs in one channel finishing together: each video posted once as its interaction’s follow-up, no 429, each reply’s last word after its post', async () => {
		const { harness, members, commands, taskIds } = await burstInOneChannel('busy channel job');
		await harness.discord.waitFor(
			() => commands.every((command) => /Queued|Rendering/.test(visibleText(command.original()))),
			10_000,
		);

		for (const taskId of taskIds) harness.modelverse.complete(taskId, 'Success');
		await harness.discord.waitFor(
			() => commands.every((command) => visibleText(command.original()).includes('Done')),
			30_000,
		);

		for (const [index, command] of commands.entries()) {
			const [posted, ...more] = postedVideos(harness, members[index]?.id);
			expect(more).toEqual([]);
			expect(posted?.attachments).toHaveLength(1);
			expect(visibleText(command.original())).toContain(posted?.id);
			const postAt = harness.discord.requests.findIndex(
				(request) => isVideoPost(request) && (request.response as { id?: string }).id === posted?.id,
			);
			const replyPath = `/webhooks/${harness.discord.applicationId}/${command.token}/messages/@original`;
			const lastWordAt = harness.discord.requests.findIndex(
				(request) => request.path === replyPath && request.status === 200 && finalTitle(request) === 'Done',
			);
			expect(postAt).toBeGreaterThanOrEqual(0);
			// Its own interaction's webhook: the channel's limit, shared by every job here, is not drawn on.
			expect(harness.discord.requests[postAt]?.path).toBe(
				`/webhooks/${harness.discord.applicationId}/${command.token}`,
			);
			expect(lastWordAt).toBeGreaterThan(postAt);
			expect(progressTitles(harness, command).at(-1)).toBe('Done');
		}
		expect(harness.discord.requests.filter(isVideoPost)).toHaveLength(JOBS);
		expect(harness.discord.rateLimited).toEqual([]);
	});

	it('replies gone in a busy channel: progress moves to messages the bot owns, after the videos, within the channel’s limit', async () => {
		const { harness, members, commands, taskIds } = await burstInOneChannel('channel progress job');
		// Every job at its last state before Success, so no progress change is due until the videos are.
		await harness.discord.waitFor(
			() => commands.every((command) => visibleText(command.original()).includes('Rendering')),
			10_000,
		);
		for (const command of commands) harness.discord.expireToken(command.token);
		const progressMessages = () =>
			harness.discord
				.channelMessages(harness.discord.channelId)
				.filter((message) => message.author.id === harness.discord.botUserId && message.attachments.length === 0)
				.filter((message) => message.interaction_metadata === undefined);
		// Discord takes the first video but answers only when told: the channel has videos due all that while.
		const videosDue = harness.discord.failRoutes(
			{ method: 'POST', path: /^\/channels\/\d+\/messages$/, withFiles: true },
			{ hold: true },
		);

		for (const taskId of taskIds) harness.modelverse.complete(taskId, 'Success');
		await harness.discord.waitFor(
			() => videosDue.waiting > 0 && harness.discord.requests.some((request) => request.status === 401),
		);
		expect(progressMessages()).toEqual([]);
		videosDue.end();
		await harness.discord.waitFor(
			() => progressMessages().filter((message) => visibleText(message).includes('Done')).length === JOBS,
			30_000,
		);

		for (const member of members) {
			const [posted, ...more] = postedVideos(harness, member.id);
			expect(more).toEqual([]);
			const shown = progressMessages().filter((message) => message.content === `<@${member.id}>`);
			expect(shown).toHaveLength(1);
			expect(visibleText(shown[0])).toContain(posted?.id);
		}
		expect(harness.discord.rateLimited).toEqual([]);
	});

	it('a Discord outage on progress edits does not hold up the video: it is posted meanwhile, and the reply says Done once edits work again', async () => {
		const harness = await startHarnessForTest({ modelverse: { hold: true } });
		const command = runVideo(harness, 'text', { prompt: 'a ferry at dawn' });
		const taskId = await harness.discord.waitFor(() => harness.modelverse.submissions[0]?.taskId);
		await waitForProgressText(harness, command, 'Queued');
		const outage = harness.discord.failRoutes({ method: 'PATCH', path: /^\/webhooks\// }, { hang: true });

		harness.modelverse.complete(taskId, 'Success');
		const posted = await harness.discord.waitFor(() => postedVideos(harness)[0]);

		expect(posted.attachments).toHaveLength(1);
		expect(outage.waiting).toBeGreaterThan(0);
		expect(visibleText(command.original())).not.toContain(posted.id);
		outage.end();
		await waitForProgressText(harness, command, 'Done', 30_000);
		expect(visibleText(command.original())).toContain(posted.id);
		expect(postedVideos(harness)).toHaveLength(1);
	});
});
