import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../standins/harness.js';
import {
	extendWithPrompt,
	jobEnded,
	MEMBER,
	privateAnswer,
	resultButtonId,
	runQuota,
	runVideo,
	someMember,
	usageOf,
	waitForDelivered,
} from '../standins/journeys.js';

// 360p costs 1 credit a second.
const FIVE_CREDITS = { prompt: 'a paper boat on a pond', resolution: '360p', duration: 5 } as const;
const FIFTEEN_CREDITS = { prompt: 'a lighthouse in fog', resolution: '360p', duration: 15 } as const;
const DELIVERED = 'Your video: https://discord.com/channels/';

describe('/quota role: members with a role get its limit per period', () => {
	let harness: Harness;

	afterEach(async () => {
		await harness.closeChecked();
	});

	it('replaces per_user for members with the role, gives the largest of several, and /video usage says where each limit comes from', async () => {
		harness = await startHarness();
		const booster = harness.discord.createRole('booster');
		const patron = harness.discord.createRole('patron');
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 100, period: 'day', per_user: 10 }));
		expect(await privateAnswer(harness, runQuota(harness, 'role', { role: { role: booster }, credits: 20 }))).toBe(
			`Members with <@&${booster}> may now spend **20** credits per day, instead of the server’s per-member limit. A member’s own limit still comes first, and a member with several such roles gets the largest.`,
		);
		await privateAnswer(harness, runQuota(harness, 'role', { role: { role: patron }, credits: 30 }));
		const [plain, boosted, both] = [someMember(1), someMember(2), someMember(3)];

		expect(await usageOf(harness, plain, harness.discord.guildId, [])).toContain(
			'You\n0 of 10 used · 10 left\nYour limit is this server’s limit per member.',
		);
		expect(await usageOf(harness, boosted, harness.discord.guildId, [booster])).toContain(
			`You\n0 of 20 used · 20 left\nYour limit comes with your role <@&${booster}>.`,
		);
		expect(await usageOf(harness, both, harness.discord.guildId, [patron, booster])).toContain(
			`You\n0 of 30 used · 30 left\nYour limit comes with your role <@&${patron}>.`,
		);

		expect(await jobEnded(harness, runVideo(harness, 'text', FIFTEEN_CREDITS, { user: boosted }))).toContain(DELIVERED);
		expect(await privateAnswer(harness, runVideo(harness, 'text', FIFTEEN_CREDITS, { user: plain }))).toContain(
			'would cost 15 credits, but you have 10 left',
		);
		expect(await jobEnded(harness, runVideo(harness, 'text', FIFTEEN_CREDITS, { user: both }))).toContain(DELIVERED);
		expect(await jobEnded(harness, runVideo(harness, 'text', FIFTEEN_CREDITS, { user: both }))).toContain(DELIVERED);
		expect(await privateAnswer(harness, runVideo(harness, 'text', FIFTEEN_CREDITS, { user: boosted }))).toContain(
			'would cost 15 credits, but you have 5 left',
		);

		// The roles are read from each interaction: a member who lost the role is back to per_user.
		expect(await usageOf(harness, boosted, harness.discord.guildId, [])).toContain(
			'You\n15 of 10 used · 0 left\nYour limit is this server’s limit per member.',
		);
		expect(await usageOf(harness, both, harness.discord.guildId, [booster])).toContain('You\n30 of 20 used · 0 left');
		const inChinese = await privateAnswer(
			harness,
			harness.discord.runCommand({
				name: 'video',
				subcommand: 'usage',
				user: both,
				locale: 'zh-CN',
				roleIds: [patron],
			}),
		);
		expect(inChinese).toContain(`已用 30 / 30 · 剩余 0\n你的额度来自你的身份组 <@&${patron}>。`);
		expect(harness.modelverse.submissions).toHaveLength(3);
	});

	it('a member’s own limit beats their roles; clear removes a role’s limit; /quota show lists role limits and the heaviest users’ own', async () => {
		harness = await startHarness();
		const booster = harness.discord.createRole('booster');
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 100, period: 'day', per_user: 10 }));
		await privateAnswer(harness, runQuota(harness, 'role', { role: { role: booster }, credits: 20 }));
		expect(await jobEnded(harness, runVideo(harness, 'text', FIFTEEN_CREDITS, { roleIds: [booster] }))).toContain(
			DELIVERED,
		);

		const shown = await privateAnswer(harness, runQuota(harness, 'show'));
		expect(shown).toContain(`Role allowances\n<@&${booster}>: 20 credits per day`);
		expect(shown).toContain(`Heaviest users this day\n1. <@${MEMBER.id}>: 15 of 20`);

		await privateAnswer(harness, runQuota(harness, 'member', { user: { user: MEMBER }, credits: 5 }));
		expect(await usageOf(harness, MEMBER, harness.discord.guildId, [booster])).toContain(
			'You\n15 of 5 used · 0 left\nYour own limit, set by this server’s admins.',
		);
		await privateAnswer(harness, runQuota(harness, 'member', { user: { user: MEMBER }, clear: true }));
		expect(await usageOf(harness, MEMBER, harness.discord.guildId, [booster])).toContain(
			`You\n15 of 20 used · 5 left\nYour limit comes with your role <@&${booster}>.`,
		);

		expect(await privateAnswer(harness, runQuota(harness, 'role', { role: { role: booster }, clear: true }))).toBe(
			`<@&${booster}> no longer has a limit of its own; its members are back to the server’s per-member limit, or another role’s.`,
		);
		expect(await privateAnswer(harness, runQuota(harness, 'role', { role: { role: booster }, clear: true }))).toBe(
			`<@&${booster}> had no limit of its own; nothing changed.`,
		);
		const afterClear = await privateAnswer(harness, runQuota(harness, 'show'));
		expect(afterClear).toContain('Role allowances\nnone (give one with `/quota role`)');
		expect(afterClear).toContain(`1. <@${MEMBER.id}>: 15 of 10`);
		expect(await usageOf(harness, MEMBER, harness.discord.guildId, [booster])).toContain(
			'You\n15 of 10 used · 0 left\nYour limit is this server’s limit per member.',
		);
	});

	it('Reroll and Extend are charged within the limit of the roles the presser has at the press', async () => {
		harness = await startHarness();
		const booster = harness.discord.createRole('booster');
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 100, period: 'day', per_user: 5 }));
		await privateAnswer(harness, runQuota(harness, 'role', { role: { role: booster }, credits: 20 }));
		const posted = await waitForDelivered(harness, runVideo(harness, 'text', FIVE_CREDITS, { roleIds: [booster] }));

		const reroll = { messageId: posted.id, customId: resultButtonId(posted, 'reroll'), user: MEMBER };
		expect(await jobEnded(harness, harness.discord.pressButton({ ...reroll, roleIds: [booster] }))).toContain(
			DELIVERED,
		);
		// Extend runs at the bot's defaults (720p, 5 s): 9 credits, 19 of 20 in all.
		const extend = await extendWithPrompt(harness, posted, 'the boat sails on', { user: MEMBER, roleIds: [booster] });
		expect(await jobEnded(harness, extend)).toContain(DELIVERED);

		const withoutRole = harness.discord.pressButton({ ...reroll, roleIds: [] });
		expect(await privateAnswer(harness, withoutRole)).toContain('would cost 5 credits, but you have 0 left');
		expect(harness.modelverse.submissions).toHaveLength(3);
	});

	it('refuses, localised and saving nothing: members without Manage Server, both or neither of credits and clear, @everyone, and a limit above the operator’s cap', async () => {
		harness = await startHarness({ env: { SERVER_MONTHLY_CAP: '100' } });
		const booster = harness.discord.createRole('booster');
		const role = { role: booster };
		const asMember = runQuota(harness, 'role', { role, credits: 50 }, { user: MEMBER, memberPermissions: '0' });
		expect(await privateAnswer(harness, asMember)).toBe(
			'Only members with the Manage Server permission can use `/quota`.',
		);
		expect(asMember.callbacks()).toMatchObject([{ type: 5, data: { flags: 64 } }]);

		const refusals = [
			runQuota(harness, 'role', { role, credits: 50, clear: true }),
			runQuota(harness, 'role', { role }),
			runQuota(harness, 'role', { role: { role: harness.discord.guildId }, credits: 50 }),
			runQuota(harness, 'role', { role, credits: 101 }),
		];
		expect(await Promise.all(refusals.map((refused) => privateAnswer(harness, refused)))).toEqual([
			'Give exactly one of `credits` (the role’s limit) or `clear: True` (remove it).',
			'Give exactly one of `credits` (the role’s limit) or `clear: True` (remove it).',
			'Every member already gets the server’s per-member limit: set it with `/quota set per_user`.',
			'`credits` cannot be 101: the bot’s operator lets a server spend at most **100** credits per calendar month. Nothing was saved.',
		]);
		expect(await privateAnswer(harness, runQuota(harness, 'role', { role }, { locale: 'zh-CN' }))).toBe(
			'请只提供 `credits`（身份组额度）或 `clear: True`（移除身份组额度）中的一个。',
		);

		expect(await privateAnswer(harness, runQuota(harness, 'show'))).toContain(
			'Role allowances\nnone (give one with `/quota role`)',
		);
		expect(await usageOf(harness, MEMBER, harness.discord.guildId, [booster])).toContain(
			'0 used · no limit of your own',
		);
	});
});
