import type { APIMessage } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../standins/discord/index.js';
import { type Harness, startHarness } from '../standins/harness.js';
import {
	charged,
	creditsOf,
	MEMBER,
	postedVideos,
	privateAnswer,
	runModeration,
	runVideo,
	waitForDelivered,
} from '../standins/journeys.js';
import { MP4, PNG } from '../standins/media-fixtures.js';

const AUTHOR = { id: '310000000000000055', username: 'ana' };
const ANIMATE = 'Animate this image';
const EXTEND = 'Extend this video';

const dataUri = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

interface ShownModalCallback {
	type: number;
	data: { custom_id: string; title: string; components: unknown[] };
}

describe('message commands: right-click a message → Apps', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await startHarness();
	});

	afterEach(async () => {
		await harness.closeChecked();
	});

	/** Runs the message command and waits for the modal it opens; returns that modal. */
	async function openMenu(name: string, message: APIMessage, locale?: string): Promise<ShownModalCallback> {
		const handle = harness.discord.runMessageCommand({
			name,
			messageId: message.id,
			user: MEMBER,
			...(locale ? { locale } : {}),
		});
		await harness.discord.waitFor(() => handle.callbacks()[0]);
		const [callback] = handle.callbacks() as ShownModalCallback[];
		expect(callback?.type, JSON.stringify(callback)).toBe(9);
		if (!callback) throw new Error('no modal');
		return callback;
	}

	function submitPrompt(modal: ShownModalCallback, prompt: string): InteractionHandle {
		return harness.discord.submitModal({ customId: modal.data.custom_id, fields: { prompt }, user: MEMBER });
	}

	it('Animate on an image attachment asks for a prompt, shows the member’s defaults, and runs as /video image', async () => {
		const settings = harness.discord.runCommand({
			name: 'video',
			subcommand: 'settings',
			options: { resolution: '360p', duration: 3 },
			user: MEMBER,
		});
		expect(await privateAnswer(harness, settings)).toContain('Saved.');
		const message = harness.discord.postMemberMessage({
			user: AUTHOR,
			content: 'my cat',
			files: [{ filename: 'cat.png', bytes: PNG }],
		});

		const modal = await openMenu(ANIMATE, message);
		const shown = JSON.stringify(modal.data.components);
		expect(modal.data.title).toBe('Animate this image');
		expect(shown).toContain('`resolution`: **360p** (yours)');
		expect(shown).toContain('`duration`: **3s** (yours)');
		expect(shown).toContain('`audio`: **off** (the bot’s default)');
		expect(shown).not.toContain('aspect_ratio');

		const submit = submitPrompt(modal, 'the cat slowly turns its head');
		const posted = await waitForDelivered(harness, submit);
		expect(harness.modelverse.submissions.map((submission) => submission.body)).toEqual([
			{
				model: 'pixverse-v6',
				input: { prompt: 'the cat slowly turns its head', img_url: dataUri('image/png', PNG) },
				parameters: expect.objectContaining({ resolution: '360p', duration: 3, generate_audio: 0 }),
			},
		]);
		expect(posted.content).toMatch(/image to video · 360p · 3s · audio off/);
	});

	it('Animate on a link preview fetches the image through Discord’s media proxy, never from the linked site', async () => {
		const message = harness.discord.postMemberMessage({
			user: AUTHOR,
			content: 'https://pictures.example/cat.png',
			embedImage: { filename: 'cat.png', bytes: PNG, linkedUrl: 'https://pictures.example/cat.png' },
		});
		const modal = await openMenu(ANIMATE, message);
		submitPrompt(modal, 'the cat waves');
		await harness.discord.waitFor(() => postedVideos(harness).length === 1, 10_000);
		expect(harness.modelverse.submissions[0]?.body.input).toEqual({
			prompt: 'the cat waves',
			img_url: dataUri('image/png', PNG),
		});
	});

	it('Extend on a video attachment gives the provider that attachment, as /video extend does', async () => {
		const message = harness.discord.postMemberMessage({ user: AUTHOR, files: [{ filename: 'fox.mp4', bytes: MP4 }] });
		const modal = await openMenu(EXTEND, message);
		expect(modal.data.title).toBe('Extend this video');
		submitPrompt(modal, 'the fox keeps running');
		await harness.discord.waitFor(() => postedVideos(harness).length === 1, 10_000);
		expect(harness.modelverse.submissions[0]?.body.input).toEqual({
			prompt: 'the fox keeps running',
			video_url: message.attachments[0]?.url,
		});
	});

	it('Extend on one of the bot’s own results continues the stored provider video, not the Discord upload', async () => {
		const command = runVideo(harness, 'text', { prompt: 'a paper boat on a river', duration: 5 });
		const first = await waitForDelivered(harness, command);
		const modal = await openMenu(EXTEND, first);
		submitPrompt(modal, 'the boat drifts into a waterfall');
		await harness.discord.waitFor(() => postedVideos(harness).length === 2, 10_000);
		const [original, extended] = harness.modelverse.submissions;
		expect(extended?.body.input).toEqual({
			prompt: 'the boat drifts into a waterfall',
			video_url: harness.modelverse.videoUrl(original?.taskId ?? ''),
		});
		expect(extended?.body.input?.video_url).not.toBe(first.attachments[0]?.url);
	});

	it.each([
		[ANIMATE, 'en-US', 'no image to animate'],
		[EXTEND, 'en-US', 'no video to extend'],
		[ANIMATE, 'zh-CN', '没有可以动起来的图片'],
		[EXTEND, 'zh-CN', '没有可以延长的视频'],
	])(
		'%s on a message with nothing usable is refused privately (%s), and nothing is spent',
		async (name, locale, says) => {
			const message = harness.discord.postMemberMessage({
				user: AUTHOR,
				content: 'just words',
				files: [{ filename: name === ANIMATE ? 'fox.mp4' : 'cat.png', bytes: name === ANIMATE ? MP4 : PNG }],
			});
			const handle = harness.discord.runMessageCommand({ name, messageId: message.id, user: MEMBER, locale });
			expect(await privateAnswer(harness, handle)).toContain(says);
			expect(harness.modelverse.submissions).toHaveLength(0);
			expect(await creditsOf(harness)).toEqual(charged(0));
		},
	);

	it('a prompt with a blocked term, or /video turned off in the channel, is refused privately and spends nothing', async () => {
		await privateAnswer(harness, runModeration(harness, 'block', { term: 'gore' }));
		const message = harness.discord.postMemberMessage({ user: AUTHOR, files: [{ filename: 'cat.png', bytes: PNG }] });
		const blocked = submitPrompt(await openMenu(ANIMATE, message), 'the cat, gore everywhere');
		expect(await privateAnswer(harness, blocked)).toContain('blocked in this server');

		harness.discord.setCommandPermissions(
			harness.discord.guildId,
			[{ id: harness.discord.channelId, type: 3, permission: false }],
			'video',
		);
		const off = submitPrompt(await openMenu(ANIMATE, message), 'the cat blinks');
		expect(await privateAnswer(harness, off)).toContain('You cannot use `/video` in this channel');
		expect(harness.discord.attachmentFetches).toHaveLength(0);
		expect(harness.modelverse.submissions).toHaveLength(0);
		harness.discord.setCommandPermissions(harness.discord.guildId, [], 'video');
		expect(await creditsOf(harness)).toEqual(charged(0));
	});

	it('a prompt modal for a message this member never opened the menu on is refused privately, in their language', async () => {
		const message = harness.discord.postMemberMessage({ user: AUTHOR, files: [{ filename: 'cat.png', bytes: PNG }] });
		const forged = harness.discord.submitModal({
			customId: `menu:image:${message.channel_id}:${message.id}`,
			fields: { prompt: 'the cat blinks' },
			user: MEMBER,
			locale: 'zh-CN',
		});
		expect(await privateAnswer(harness, forged)).toBe('这个表单已过期。请重新右键点击那条消息。');
		expect(harness.modelverse.submissions).toHaveLength(0);
	});

	it('opens in the member’s language: the zh-CN title and the settings heading', async () => {
		const message = harness.discord.postMemberMessage({ user: AUTHOR, files: [{ filename: 'fox.mp4', bytes: MP4 }] });
		const modal = await openMenu(EXTEND, message, 'zh-CN');
		expect(modal.data.title).toBe('延长这段视频');
		expect(JSON.stringify(modal.data.components)).toContain('这段视频将使用以下设置');
	});

	it('registers both message commands with their zh-CN names, beside the slash commands', () => {
		const menus = harness.discord.registeredCommands().filter((command) => command.type === 3);
		expect(menus.map((command) => [command.name, command.name_localizations?.['zh-CN'], command.contexts])).toEqual([
			[ANIMATE, '让这张图动起来', [0]],
			[EXTEND, '延长这段视频', [0]],
		]);
	});
});
