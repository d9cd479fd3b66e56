import type { APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ordinaryMemberPermissions, permissionBits } from '../standins/discord/permissions.js';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import {
	creditsOf,
	MEMBER,
	postedVideos,
	privateAnswer,
	runVideo,
	usageOf,
	visibleText,
	waitForDelivered,
} from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

const HOME = { id: '350000000000000001', name: 'Home', channels: [{ id: '350000000000000011' }] };
const AWAY = { id: '350000000000000002', name: 'Away', channels: [{ id: '350000000000000012' }] };
const ELSEWHERE = 'This button works only in the server where the video was made. Nothing was charged.';
const NO_VIDEO_COMMAND =
	'You cannot use `/video` in this channel, so this button cannot make a video for you here. Nothing was charged.';
/** What a default text job (720p, 5 s) costs. */
const JOB_COST = 9;
const WITHOUT_APPLICATION_COMMANDS = (ordinaryMemberPermissions & ~permissionBits.useApplicationCommands).toString();

const customIds = (message: { components?: unknown[] }) =>
	[...JSON.stringify(message.components ?? []).matchAll(/video:[\w-]+:[\w-]+/g)].map(([id]) => id);

function buttonId(message: { components?: unknown[] }, action: string): string {
	const id = customIds(message).find((customId) => customId.startsWith(`video:${action}:`));
	if (!id) throw new Error(`no ${action} button on the message`);
	return id;
}

describe('result buttons act only in the job’s own server, for members who may use /video there', () => {
	let harness: Harness;
	const start = async (options: HarnessOptions = {}) => (harness = await startHarnessForTest(options));

	/** Posts as the bot, the way an earlier version posted results (or anyone with the bot's token could). */
	async function postAsBot(channelId: string, body: object): Promise<APIMessage> {
		const response = await fetch(`${harness.discord.apiUrl}/v10/channels/${channelId}/messages`, {
			method: 'POST',
			headers: { authorization: `Bot ${harness.discord.botToken}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return (await response.json()) as APIMessage;
	}

	async function dmChannelOf(userId: string): Promise<string> {
		const response = await fetch(`${harness.discord.apiUrl}/v10/users/@me/channels`, {
			method: 'POST',
			headers: { authorization: `Bot ${harness.discord.botToken}`, 'content-type': 'application/json' },
			body: JSON.stringify({ recipient_id: userId }),
		});
		return ((await response.json()) as { id: string }).id;
	}

	async function deliveredVideo(): Promise<APIMessage> {
		return waitForDelivered(harness, runVideo(harness, 'text', { prompt: 'a heron in the reeds' }));
	}

	it('a video sent by DM carries Delete only, and Delete works there', async () => {
		await start({ modelverse: { hold: true } });
		const command = runVideo(harness, 'text', { prompt: 'a snowy owl' });
		await harness.discord.waitFor(() => harness.modelverse.submissions[0]);
		harness.discord.denyChannelPermission(harness.discord.channelId);
		harness.discord.expireToken(command.token);
		harness.modelverse.complete(harness.modelverse.submissions[0]?.taskId ?? '', 'Success');

		const dmPost = await harness.discord.waitFor(
			() =>
				harness.discord.requests.find(
					(request) => request.method === 'POST' && request.files.length > 0 && request.status === 200,
				),
			10_000,
		);
		const dm = harness.discord.findMessage((dmPost.response as { id: string }).id);
		if (!dm) throw new Error('the DM was not kept');
		expect(dm.channel_id).not.toBe(harness.discord.channelId);
		expect(customIds(dm)).toEqual([expect.stringMatching(/^video:delete:/)]);

		const press = harness.discord.pressButton({ messageId: dm.id, customId: buttonId(dm, 'delete'), user: MEMBER });
		await harness.discord.waitFor(() => visibleText(press.original()).includes('deleted'));
		expect(harness.discord.findMessage(dm.id)).toBeUndefined();
	});

	it('Reroll pressed in a DM is refused privately and charges nothing', async () => {
		await start();
		const posted = await deliveredVideo();
		const dm = await postAsBot(await dmChannelOf(MEMBER.id), {
			content: posted.content,
			components: posted.components,
		});
		const before = await creditsOf(harness);

		const press = harness.discord.pressButton({ messageId: dm.id, customId: buttonId(dm, 'reroll'), user: MEMBER });
		expect(await privateAnswer(harness, press)).toBe(ELSEWHERE);
		expect(harness.modelverse.submissions).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual(before);
		expect(before).toMatchObject({ member: JOB_COST, memberRunning: 0 });
	});

	it('Reroll and Extend pressed in another server than the job’s are refused and charge neither server', async () => {
		await start({ discord: { guilds: [HOME, AWAY] } });
		const posted = await deliveredVideo();
		const copy = await postAsBot(AWAY.channels[0]?.id ?? '', {
			content: posted.content,
			components: posted.components,
		});

		const reroll = harness.discord.pressButton({
			messageId: copy.id,
			customId: buttonId(copy, 'reroll'),
			user: MEMBER,
		});
		const extend = harness.discord.pressButton({
			messageId: copy.id,
			customId: buttonId(copy, 'extend'),
			user: MEMBER,
		});
		expect(await privateAnswer(harness, reroll)).toBe(ELSEWHERE);
		expect(await privateAnswer(harness, extend)).toBe(ELSEWHERE);
		expect(extend.callbacks()).toMatchObject([{ type: 4 }]);
		const extendPrompt = harness.discord.submitModal({
			customId: buttonId(copy, 'extend').replace(':extend:', ':extend-prompt:'),
			fields: { prompt: 'the heron takes off' },
			user: MEMBER,
			messageId: copy.id,
		});
		expect(await privateAnswer(harness, extendPrompt)).toBe(ELSEWHERE);

		expect(harness.modelverse.submissions).toHaveLength(1);
		expect(await usageOf(harness, MEMBER, HOME.id)).toContain(`This server\n${JOB_COST} of 1000 used`);
		expect(await usageOf(harness, MEMBER, AWAY.id)).toContain('This server\n0 of 1000 used');
	});

	it('Reroll follows Discord’s permissions for /video: refused where an admin turned /video off or without Use Application Commands', async () => {
		await start();
		const posted = await deliveredVideo();
		const reroll = () =>
			harness.discord.pressButton({ messageId: posted.id, customId: buttonId(posted, 'reroll'), user: MEMBER });

		harness.discord.setCommandPermissions(
			harness.discord.guildId,
			[{ id: harness.discord.channelId, type: 3, permission: false }],
			'video',
		);
		expect(await privateAnswer(harness, reroll())).toBe(NO_VIDEO_COMMAND);

		harness.discord.setCommandPermissions(harness.discord.guildId, [], 'video');
		const withoutCommands = harness.discord.pressButton({
			messageId: posted.id,
			customId: buttonId(posted, 'reroll'),
			user: MEMBER,
			memberPermissions: WITHOUT_APPLICATION_COMMANDS,
		});
		expect(await privateAnswer(harness, withoutCommands)).toBe(NO_VIDEO_COMMAND);
		expect(harness.modelverse.submissions).toHaveLength(1);
		expect(await creditsOf(harness)).toMatchObject({ member: JOB_COST, memberRunning: 0 });

		reroll();
		await harness.discord.waitFor(() => postedVideos(harness).length === 2, 10_000);
		expect(harness.modelverse.submissions).toHaveLength(2);
	});
});
