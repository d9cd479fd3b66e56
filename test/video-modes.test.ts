import type { APIAttachment, APIEmbed, APIMessage } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../standins/discord/index.js';
import { type Harness, startHarness } from '../standins/harness.js';
import {
	attachment,
	fetchBytes,
	MEMBER,
	runVideo,
	visibleText,
	waitForPostedVideo,
	waitForProgressText,
} from '../standins/journeys.js';
import { JPEG, MOV, MP4, PNG, WEBM, WEBP } from '../standins/media-fixtures.js';

const dataUri = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

/** The signed CDN URL Discord put in the interaction for an uploaded option. */
function uploadedUrl(handle: InteractionHandle, filename: string): string {
	const { resolved } = handle.payload.data as { resolved?: { attachments?: Record<string, APIAttachment> } };
	const found = Object.values(resolved?.attachments ?? {}).find((file) => file.filename === filename);
	if (!found) throw new Error(`The interaction carries no attachment named ${filename}`);
	return found.url;
}

/** Every body the bot sent to edit the member's deferred reply, in order. */
function progressEdits(harness: Harness, handle: InteractionHandle): Array<{ embeds?: APIEmbed[] }> {
	const path = `/webhooks/${harness.discord.applicationId}/${handle.token}/messages/@original`;
	return harness.discord.requests
		.filter((request) => request.method === 'PATCH' && request.path === path && request.status === 200)
		.map((request) => request.body as { embeds?: APIEmbed[] });
}

describe('/video image, frames and extend, from the slash command to the posted video', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await startHarness();
	});

	afterEach(async () => {
		await harness.closeChecked();
	});

	async function expectPostedBytesMatchTask(posted: APIMessage): Promise<void> {
		const [file] = posted.attachments;
		expect(file).toBeDefined();
		const taskId = harness.modelverse.submissions[0]?.taskId ?? '';
		expect(await fetchBytes(file?.url ?? '')).toEqual(await fetchBytes(harness.modelverse.videoUrl(taskId)));
	}

	it('image: sends the uploaded picture as a Base64 data URI with no aspect ratio, and posts the video', async () => {
		const handle = runVideo(harness, 'image', {
			image: attachment('cat.png', PNG),
			prompt: ' the cat slowly turns its head ',
			resolution: '360p',
			duration: 3,
			audio: true,
			seed: 7,
		});
		const posted = await waitForPostedVideo(harness);

		expect(handle.callbacks()).toMatchObject([{ type: 5 }]);
		expect(harness.modelverse.submissions.map((submission) => submission.body)).toEqual([
			{
				model: 'pixverse-v6',
				input: { prompt: 'the cat slowly turns its head', img_url: dataUri('image/png', PNG) },
				parameters: { resolution: '360p', duration: 3, generate_audio: 1, seed: 7 },
			},
		]);

		expect(posted.content.startsWith(`<@${MEMBER.id}>`)).toBe(true);
		expect(posted.content).toMatch(/image to video · 360p · 3s · audio on · seed 7/);
		expect(visibleText(posted)).toContain('the cat slowly turns its head');
		await expectPostedBytesMatchTask(posted);

		const finalProgress = await waitForProgressText(harness, handle, posted.id);
		expect(finalProgress).toContain('Done');
		expect(finalProgress).toContain(`/channels/${harness.discord.guildId}/${posted.channel_id}/${posted.id}`);
		expect(handle.original()?.embeds[0]?.thumbnail?.url).toBe(uploadedUrl(handle, 'cat.png'));
	});

	it('frames: sends the first and last frames in their own formats, in order, and posts the video', async () => {
		const handle = runVideo(harness, 'frames', {
			first: attachment('dawn.jpg', JPEG),
			last: attachment('dusk.webp', WEBP),
			prompt: 'the sky goes from dawn to dusk',
			resolution: '1080p',
			duration: 8,
			seed: 2_147_483_647,
		});
		const posted = await waitForPostedVideo(harness);

		expect(harness.modelverse.submissions.map((submission) => submission.body)).toEqual([
			{
				model: 'pixverse-v6',
				input: {
					prompt: 'the sky goes from dawn to dusk',
					first_frame_url: dataUri('image/jpeg', JPEG),
					last_frame_url: dataUri('image/webp', WEBP),
				},
				parameters: { resolution: '1080p', duration: 8, generate_audio: 0, seed: 2_147_483_647 },
			},
		]);

		expect(posted.content).toMatch(/first and last frame · 1080p · 8s · audio off · seed 2147483647/);
		await expectPostedBytesMatchTask(posted);
		const finalProgress = await waitForProgressText(harness, handle, posted.id);
		expect(finalProgress).toContain('Done');
		expect(handle.original()?.embeds.map((embed) => embed.thumbnail?.url)).toEqual([
			uploadedUrl(handle, 'dawn.jpg'),
			uploadedUrl(handle, 'dusk.webp'),
		]);
	});

	it('extend with an attached video: the provider is given the Discord attachment URL, and the video is posted', async () => {
		const handle = runVideo(harness, 'extend', {
			prompt: 'the fox keeps running into the forest',
			video: attachment('fox.mp4', MP4),
			duration: 5,
			audio: true,
			seed: 99,
		});
		const posted = await waitForPostedVideo(harness);

		expect(harness.modelverse.submissions.map((submission) => submission.body)).toEqual([
			{
				model: 'pixverse-v6',
				input: { prompt: 'the fox keeps running into the forest', video_url: uploadedUrl(handle, 'fox.mp4') },
				parameters: { resolution: '720p', duration: 5, generate_audio: 1, seed: 99 },
			},
		]);

		expect(posted.content).toMatch(/extend a video · 720p · 5s · audio on · seed 99/);
		await expectPostedBytesMatchTask(posted);
		expect(await waitForProgressText(harness, handle, posted.id)).toContain('Done');
	});

	it.each([
		['a MOV', 'take.mov', MOV],
		['a WebM', 'take.webm', WEBM],
	])('extend accepts %s attachment too', async (_kind, filename, bytes) => {
		const handle = runVideo(harness, 'extend', { prompt: 'and then it rains', video: attachment(filename, bytes) });
		await waitForPostedVideo(harness);
		expect(harness.modelverse.submissions[0]?.body.input).toEqual({
			prompt: 'and then it rains',
			video_url: uploadedUrl(handle, filename),
		});
	});

	it('extend with a typed https url: the provider is given that url, and the video is posted', async () => {
		const handle = runVideo(harness, 'extend', {
			prompt: 'the boat sails into the storm',
			url: 'https://media.example.com/clips/boat.mp4?v=2',
			resolution: '540p',
			seed: 5,
		});
		const posted = await waitForPostedVideo(harness);

		expect(harness.modelverse.submissions.map((submission) => submission.body)).toEqual([
			{
				model: 'pixverse-v6',
				input: { prompt: 'the boat sails into the storm', video_url: 'https://media.example.com/clips/boat.mp4?v=2' },
				parameters: { resolution: '540p', duration: 5, generate_audio: 0, seed: 5 },
			},
		]);
		await expectPostedBytesMatchTask(posted);
		expect(await waitForProgressText(harness, handle, posted.id)).toContain('Done');
	});

	it('a member whose Discord is in Chinese sees the progress and the result in Chinese', async () => {
		const handle = runVideo(
			harness,
			'image',
			{ image: attachment('cat.png', PNG), prompt: '猫慢慢转头', duration: 4, seed: 11 },
			{ locale: 'zh-CN' },
		);
		const posted = await waitForPostedVideo(harness);

		expect(posted.content).toContain(`<@${MEMBER.id}>，你的视频好了。`);
		expect(posted.content).toContain('模式：图生视频 · 720p · 4 秒 · 音频关 · 种子 11');
		const finalProgress = await waitForProgressText(harness, handle, posted.id);
		expect(finalProgress).toContain('完成');
		expect(finalProgress).toContain('你的视频：');
		expect(finalProgress).not.toMatch(/Done|Your video|Prompt|image to video/);

		const titles = progressEdits(harness, handle).map((body) => body.embeds?.[0]?.title);
		expect(titles.length).toBeGreaterThan(1);
		for (const title of titles) {
			expect([
				'正在把任务发送给视频服务……',
				'在视频服务排队中',
				'渲染中',
				'你的视频已生成，正在发布……',
				'完成',
			]).toContain(title);
		}
	});
});
