import { describe, expect, it } from 'vitest';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import {
	creditsOf,
	MEMBER,
	postedVideos,
	privateAnswer,
	runModeration,
	runVideo,
	visibleText,
	waitForDelivered,
} from '../standins/journeys.js';
import { PNG } from '../standins/media-fixtures.js';
import { blocklistFile } from './support/blocklist-file.js';
import { startHarnessForTest } from './support/harness-per-test.js';

const EPHEMERAL = 1 << 6;
const NEEDS_MANAGE_SERVER = 'Only members with the Manage Server permission can use `/moderation`.';
const blockedHere = (term: string) =>
	`Your prompt contains “${term}”, which is blocked in this server, so no video was made. Nothing was charged.`;
const blockedEverywhere = (term: string) =>
	`Your prompt contains “${term}”, which the bot’s operator blocks in every server, so no video was made. Nothing was charged.`;

function buttonId(message: { components?: unknown[] }, action: string): string {
	const ids = JSON.stringify(message.components ?? []).match(new RegExp(`video:${action}:[\\w-]+`));
	if (!ids) throw new Error(`no ${action} button on the message`);
	return ids[0];
}

describe('/moderation: admins block terms, and prompts containing them are refused before anything is spent', () => {
	let harness: Harness;
	const start = async (options: HarnessOptions = {}) => (harness = await startHarnessForTest(options));

	it('admins block, list and unblock terms; the list counts the operator’s terms without showing them', async () => {
		const file = blocklistFile(['# the operator’s list', '', 'nightshade', '  机密  ', '# not a term']);
		await start({ env: { BLOCKLIST_FILE: file } });

		expect(await privateAnswer(harness, runModeration(harness, 'block', { term: 'Gore' }))).toBe(
			'“gore” is now blocked in this server: prompts containing it are refused, whatever the case or width of its letters.',
		);
		expect(await privateAnswer(harness, runModeration(harness, 'block', { term: 'ｇｏ\u200Bｒｅ' }))).toBe(
			'“gore” was already blocked in this server; nothing changed.',
		);
		await privateAnswer(harness, runModeration(harness, 'block', { term: 'blood **bath**' }));

		const listed = await privateAnswer(harness, runModeration(harness, 'list'));
		expect(listed).toContain('Blocked terms (2)**\ngore · blood \\*\\*bath\\*\\*');
		expect(listed).toContain(
			'Blocked by the bot’s operator\n2 terms, in every server (the operator’s list is not shown)',
		);
		expect(listed).toContain('Log channel\nOff. Turn it on with `/moderation log channel:`.');
		expect(listed).not.toContain('nightshade');
		expect(listed).not.toContain('机密');

		expect(await privateAnswer(harness, runModeration(harness, 'unblock', { term: 'GORE' }))).toBe(
			'“gore” is no longer blocked in this server.',
		);
		expect(await privateAnswer(harness, runModeration(harness, 'unblock', { term: 'nightshade' }))).toBe(
			'“nightshade” is not on this server’s list; nothing changed.',
		);
		const zh = await privateAnswer(harness, runModeration(harness, 'list', {}, { locale: 'zh-CN' }));
		expect(zh).toContain('屏蔽词（1）**\nblood \\*\\*bath\\*\\*');
		expect(zh).toContain('2 个，适用于所有服务器（运营者的列表不公开）');
	});

	it('refuses a term that is empty once invisible characters are removed, or longer than 100 characters', async () => {
		await start();
		expect(await privateAnswer(harness, runModeration(harness, 'block', { term: '\u200B\u00AD' }))).toBe(
			'That term is empty once invisible characters and spaces are taken out. Give a word or phrase to block.',
		);
		// Discord stops this in the client; the bot checks again, as any client can send anything.
		expect(await privateAnswer(harness, runModeration(harness, 'block', { term: 'x'.repeat(101) }))).toBe(
			'A term can be at most 100 characters long.',
		);
		expect(await privateAnswer(harness, runModeration(harness, 'list'))).toContain('Blocked terms (0)');
	});

	it('refuses every /moderation subcommand to a member without Manage Server, even when it reaches the bot', async () => {
		await start();
		const asMember = { user: MEMBER, memberPermissions: '0' };
		const attempts = [
			runModeration(harness, 'block', { term: 'gore' }, asMember),
			runModeration(harness, 'unblock', { term: 'gore' }, asMember),
			runModeration(harness, 'list', {}, asMember),
			runModeration(harness, 'log', { channel: { channel: harness.discord.channelId } }, asMember),
		];
		for (const attempt of attempts) {
			expect(await privateAnswer(harness, attempt)).toBe(NEEDS_MANAGE_SERVER);
			expect(attempt.callbacks()).toMatchObject([{ type: 5, data: { flags: 64 } }]);
		}
		const listed = await privateAnswer(harness, runModeration(harness, 'list'));
		expect(listed).toContain('Blocked terms (0)');
		expect(listed).toContain('Off.');
	});

	it('is registered for Manage Server only, with zh-CN text, in the same overwrite as /video and /quota', async () => {
		await start();
		const commands = harness.discord.registeredCommands();
		expect(commands.map((command) => command.name)).toEqual([
			'video',
			'quota',
			'moderation',
			'Animate this image',
			'Extend this video',
		]);
		const moderation = commands.find((command) => command.name === 'moderation');
		expect(moderation).toMatchObject({
			default_member_permissions: '32',
			contexts: [0],
			description_localizations: { 'zh-CN': '屏蔽视频提示词中的词语，并记录任务和管理变更' },
		});
		const block = moderation?.options?.find((option) => option.name === 'block');
		expect(block).toMatchObject({ options: [{ name: 'term', required: true, min_length: 1, max_length: 100 }] });
		const log = moderation?.options?.find((option) => option.name === 'log');
		expect(log).toMatchObject({ options: [{ name: 'channel', type: 7, channel_types: [0] }] });
		expect(log).not.toMatchObject({ options: [{ required: true }] });
	});

	it('refuses a prompt with a blocked term privately, before any credit is held or input fetched; nothing is submitted', async () => {
		await start();
		await privateAnswer(harness, runModeration(harness, 'block', { term: 'gore' }));
		const before = await creditsOf(harness);

		const text = runVideo(harness, 'text', { prompt: 'a battlefield, GORE everywhere' });
		expect(await privateAnswer(harness, text)).toBe(blockedHere('gore'));
		const hidden = runVideo(harness, 'text', { prompt: 'so much go\u200Bre' });
		expect(await privateAnswer(harness, hidden)).toBe(blockedHere('gore'));
		const image = runVideo(harness, 'image', {
			image: { attachment: { filename: 'cat.png', bytes: PNG } },
			prompt: 'the cat, ｇｏｒｅ',
		});
		expect(await privateAnswer(harness, image, 5_000)).toBe(blockedHere('gore'));
		const zh = runVideo(harness, 'text', { prompt: 'gore!' }, { locale: 'zh-CN' });
		expect(await privateAnswer(harness, zh)).toBe(
			'你的提示词包含“gore”，该词在本服务器被屏蔽，因此没有生成视频。未扣任何额度。',
		);

		// The public placeholder is removed: nothing everyone sees shows the term.
		for (const handle of [text, hidden, image, zh])
			await harness.discord.waitFor(() => handle.original() === undefined);
		const everyoneSees = harness.discord
			.channelMessages(harness.discord.channelId)
			.filter((message) => ((message.flags ?? 0) & EPHEMERAL) === 0);
		expect(everyoneSees.map(visibleText).join('\n').toLowerCase()).not.toContain('gore');
		expect(harness.discord.attachmentFetches).toEqual([]);
		expect(harness.modelverse.submissions).toHaveLength(0);
		expect(await creditsOf(harness)).toEqual(before);

		// A word that only contains the term is not the term.
		const clean = runVideo(harness, 'text', { prompt: 'a gorgeous gorenje fridge', resolution: '360p' });
		await waitForDelivered(harness, clean);
		expect(harness.modelverse.submissions).toHaveLength(1);
	});

	it('refuses a Reroll whose prompt is now blocked, and an Extend prompt with a blocked term, charging nothing', async () => {
		await start();
		const first = await waitForDelivered(
			harness,
			runVideo(harness, 'text', { prompt: 'a calm sea', resolution: '360p', duration: 2 }),
		);
		await privateAnswer(harness, runModeration(harness, 'block', { term: 'sea' }));
		await privateAnswer(harness, runModeration(harness, 'block', { term: '血' }));
		const spent = await creditsOf(harness);

		const reroll = harness.discord.pressButton({
			messageId: first.id,
			customId: buttonId(first, 'reroll'),
			user: MEMBER,
		});
		expect(await privateAnswer(harness, reroll)).toBe(blockedHere('sea'));

		const extend = harness.discord.pressButton({
			messageId: first.id,
			customId: buttonId(first, 'extend'),
			user: MEMBER,
		});
		await harness.discord.waitFor(() => extend.callbacks()[0]);
		const modal = harness.discord.submitModal({
			customId: buttonId(first, 'extend').replace(':extend:', ':extend-prompt:'),
			fields: { prompt: '海水变成了鲜血' },
			user: MEMBER,
			messageId: first.id,
		});
		expect(await privateAnswer(harness, modal)).toBe(blockedHere('血'));

		await harness.discord.waitFor(() => reroll.original() === undefined && modal.original() === undefined);
		expect(harness.modelverse.submissions).toHaveLength(1);
		expect(postedVideos(harness)).toHaveLength(1);
		expect(await creditsOf(harness)).toEqual(spent);
	});

	it('applies the operator’s BLOCKLIST_FILE in every server, CJK terms as substrings', async () => {
		const file = blocklistFile(['nightshade', '机密']);
		const home = { id: '410000000000000001', channels: [{ id: '410000000000000011' }] };
		const away = { id: '410000000000000002', channels: [{ id: '410000000000000022' }] };
		await start({ env: { BLOCKLIST_FILE: file }, discord: { guilds: [home, away] } });

		const attempts = [
			runVideo(harness, 'text', { prompt: 'Nightshade in bloom' }, { guildId: home.id }),
			runVideo(harness, 'text', { prompt: 'a NIGHTSHADE garden' }, { guildId: away.id }),
			runVideo(harness, 'text', { prompt: '一份绝密机密文件' }, { guildId: away.id }),
		];
		const answers = await Promise.all(attempts.map((attempt) => privateAnswer(harness, attempt)));
		expect(answers).toEqual([
			blockedEverywhere('nightshade'),
			blockedEverywhere('nightshade'),
			blockedEverywhere('机密'),
		]);
		expect(harness.modelverse.submissions).toHaveLength(0);

		// An admin can neither see nor lift the operator’s terms.
		const unblock = runModeration(harness, 'unblock', { term: 'nightshade' }, { guildId: away.id });
		expect(await privateAnswer(harness, unblock)).toBe('“nightshade” is not on this server’s list; nothing changed.');
		const again = runVideo(harness, 'text', { prompt: 'nightshade' }, { guildId: away.id });
		expect(await privateAnswer(harness, again)).toBe(blockedEverywhere('nightshade'));
	});
});
