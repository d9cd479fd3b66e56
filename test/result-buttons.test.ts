import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type Harness, startHarness } from '../standins/harness.js';
import {
	MEMBER,
	postedVideos,
	runVideo,
	visibleText,
	waitForDelivered,
	waitForPostedVideo,
} from '../standins/journeys.js';
import { PNG } from '../standins/media-fixtures.js';

const OTHER_MEMBER = { id: '310000000000000077', username: 'kai' };
const MODERATOR = { id: '310000000000000088', username: 'mod' };
const MANAGE_MESSAGES = (1n << 13n).toString();
const DAY_MS = 24 * 60 * 60 * 1000;

function buttonId(message: { components?: unknown[] }, action: string): string {
	const ids = JSON.stringify(message.components ?? []).match(new RegExp(`video:${action}:[\\w-]+`));
	if (!ids) throw new Error(`no ${action} button on the message`);
	return ids[0];
}

describe('buttons on a posted video', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await startHarness();
	});

	afterEach(async () => {
		await harness.closeChecked();
	});

	it('Reroll makes a new job with the same inputs and settings and a new seed, even after a restart', async () => {
		runVideo(harness, 'image', {
			image: { attachment: { filename: 'cat.png', bytes: PNG } },
			prompt: 'the cat blinks',
			resolution: '360p',
			duration: 3,
			seed: 7,
		});
		const first = await waitForPostedVideo(harness);
		await harness.restart();

		harness.discord.pressButton({ messageId: first.id, customId: buttonId(first, 'reroll'), user: MEMBER });
		await harness.discord.waitFor(() => postedVideos(harness).length === 2, 10_000);

		const [original, rerolled] = harness.modelverse.submissions.map((submission) => submission.body);
		expect(rerolled?.input).toEqual(original?.input);
		expect(rerolled?.parameters).toMatchObject({ resolution: '360p', duration: 3, generate_audio: 0 });
		expect(rerolled?.parameters?.seed).not.toBe(7);
	});

	it('Extend opens a modal first, then continues this video from its result URL with the new prompt', async () => {
		const command = runVideo(harness, 'text', { prompt: 'a paper boat on a river', resolution: '540p', duration: 5 });
		const first = await waitForDelivered(harness, command);
		const press = harness.discord.pressButton({
			messageId: first.id,
			customId: buttonId(first, 'extend'),
			user: MEMBER,
		});
		await harness.discord.waitFor(() => press.callbacks()[0]);
		expect(press.callbacks(), JSON.stringify(press.callbacks())).toMatchObject([{ type: 9 }]);

		harness.discord.submitModal({
			customId: buttonId(first, 'extend').replace(':extend:', ':extend-prompt:'),
			fields: { prompt: 'the boat drifts into a waterfall' },
			user: MEMBER,
			messageId: first.id,
		});
		await harness.discord.waitFor(() => postedVideos(harness).length === 2, 10_000);
		const [original, extended] = harness.modelverse.submissions;
		expect(extended?.body.input).toEqual({
			prompt: 'the boat drifts into a waterfall',
			video_url: harness.modelverse.videoUrl(original?.taskId ?? ''),
		});
		expect(extended?.body.parameters).not.toHaveProperty('aspect_ratio');
	});

	it('Delete removes the video for its requester or a moderator, and refuses anyone else privately', async () => {
		runVideo(harness, 'text', { prompt: 'fireworks over a harbour' });
		const posted = await waitForPostedVideo(harness);
		const deleteId = buttonId(posted, 'delete');

		const refused = harness.discord.pressButton({ messageId: posted.id, customId: deleteId, user: OTHER_MEMBER });
		await harness.discord.waitFor(() => visibleText(refused.original()).includes('Only the member'));
		expect(harness.discord.channelMessages(harness.discord.channelId).some((m) => m.id === posted.id)).toBe(true);

		const moderator = harness.discord.pressButton({
			messageId: posted.id,
			customId: deleteId,
			user: MODERATOR,
			memberPermissions: MANAGE_MESSAGES,
		});
		await harness.discord.waitFor(() => visibleText(moderator.original()).includes('deleted'));
		expect(harness.discord.channelMessages(harness.discord.channelId).some((m) => m.id === posted.id)).toBe(false);
	});

	it('a button pressed after its job expired from the store (ended jobs are kept 30 days) says so privately and submits nothing', async () => {
		const command = runVideo(harness, 'text', { prompt: 'a quiet forest' });
		const posted = await waitForDelivered(harness, command);

		// A month and a day pass for everyone in this process: the bot, its store and the stand-ins share one clock.
		vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
		onTestFinished(() => {
			vi.useRealTimers();
		});
		vi.setSystemTime(Date.now() + 31 * DAY_MS);
		const press = harness.discord.pressButton({
			messageId: posted.id,
			customId: buttonId(posted, 'reroll'),
			user: MEMBER,
		});

		await harness.discord.waitFor(() => press.followups()[0]);
		expect(visibleText(press.followups()[0])).toBe('This video’s job is no longer stored, so it cannot be used again.');
		expect(harness.modelverse.submissions).toHaveLength(1);
	});
});
