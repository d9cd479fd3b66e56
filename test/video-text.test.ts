import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../standins/harness.js';
import { fetchBytes, MEMBER, runVideo, visibleText, waitForPostedVideo } from '../standins/journeys.js';

describe('/video text, from the slash command to the posted video', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await startHarness();
	});

	afterEach(async () => {
		await harness.closeChecked();
	});

	it('defers, submits exactly the spec body, shows progress and posts the video mentioning only the member', async () => {
		const handle = runVideo(harness, 'text', {
			prompt: '  a red fox running through snow @everyone  ',
			resolution: '540p',
			aspect_ratio: '9:16',
			duration: 4,
			seed: 42,
		});
		const posted = await waitForPostedVideo(harness);

		expect(handle.callbacks()).toMatchObject([{ type: 5 }]);
		expect(harness.modelverse.submissions).toHaveLength(1);
		const [submission] = harness.modelverse.submissions;
		expect(submission?.body).toEqual({
			model: 'pixverse-v6',
			input: { prompt: 'a red fox running through snow @everyone' },
			parameters: { resolution: '540p', aspect_ratio: '9:16', duration: 4, generate_audio: 0, seed: 42 },
		});

		expect(posted.content).toContain(`<@${MEMBER.id}>`);
		expect(posted.content).toMatch(/540p.*4s.*seed 42/);
		// Posted through the interaction's own webhook while its token has time left, not the channel's shared limit.
		const postRequest = harness.discord.requests.find(
			(request) =>
				request.method === 'POST' && request.path === `/webhooks/${harness.discord.applicationId}/${handle.token}`,
		);
		expect(postRequest?.body).toMatchObject({ allowed_mentions: { users: [MEMBER.id], parse: [] } });
		expect(postRequest?.query).toMatchObject({ wait: 'true' });
		const [attachment] = posted.attachments;
		expect(attachment).toBeDefined();
		const expected = await fetchBytes(harness.modelverse.videoUrl(submission?.taskId ?? ''));
		expect(await fetchBytes(attachment?.url ?? '')).toEqual(expected);

		await harness.discord.waitFor(() => visibleText(handle.original()).includes(posted.id));
		expect(visibleText(handle.original())).toContain('a red fox running through snow');
	});

	it('picks a seed when the member gives none, and shows it', async () => {
		runVideo(harness, 'text', { prompt: 'waves at dusk' });
		const posted = await waitForPostedVideo(harness);
		const seed = harness.modelverse.submissions[0]?.body.parameters?.seed;
		expect(Number.isInteger(seed)).toBe(true);
		expect(posted.content).toContain(`seed ${seed}`);
	});

	it('with under two minutes of its token left when the video is ready, posts it in the channel with a nonce instead of as a follow-up, and the reply links it', async () => {
		// Created 13½ minutes ago by its id, as a long render would leave it: the token has 90 s to live.
		const handle = runVideo(harness, 'text', { prompt: 'a glacier calving' }, { createdAgoMs: 13.5 * 60_000 });
		const posted = await waitForPostedVideo(harness);

		const posts = harness.discord.requests.filter((request) => request.method === 'POST');
		const followUp = `/webhooks/${harness.discord.applicationId}/${handle.token}`;
		expect(posts.filter((request) => request.path === followUp)).toEqual([]);
		const channelPosts = posts.filter((request) => request.path === `/channels/${harness.discord.channelId}/messages`);
		expect(channelPosts).toHaveLength(1);
		expect(channelPosts[0]?.files).toHaveLength(1);
		expect(channelPosts[0]?.body).toMatchObject({ nonce: expect.any(String), enforce_nonce: true });
		expect(posted.content).toContain(`<@${MEMBER.id}>`);
		await harness.discord.waitFor(() => visibleText(handle.original()).includes(posted.id));
		expect(visibleText(handle.original())).toContain('Done');
	});
});
