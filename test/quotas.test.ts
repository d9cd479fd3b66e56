import { describe, expect, it } from 'vitest';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import { jobEnded, MEMBER, privateAnswer, runQuota, runVideo, someMember, usageOf } from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

// 360p costs 1 credit a second, so a default 5 s video at 360p costs 5.
const FIVE_CREDITS = { prompt: 'a paper boat on a pond', resolution: '360p', duration: 5 } as const;
const FIFTEEN_CREDITS = { prompt: 'a lighthouse in fog', resolution: '360p', duration: 15 } as const;
const NEEDS_MANAGE_SERVER = 'Only members with the Manage Server permission can use `/quota`.';

const DAY_S = 86_400;
const resetTimestamp = (text: string) => Number(/<t:(\d+):R>/.exec(text)?.[1]);

describe('/quota: admins set what the server may spend, members spend it', () => {
	let harness: Harness;
	const start = async (options: HarnessOptions = {}) => (harness = await startHarnessForTest(options));

	/** Runs a job to the end and checks it was delivered; returns its final progress reply. */
	async function spend(user = MEMBER, options: typeof FIVE_CREDITS | typeof FIFTEEN_CREDITS = FIVE_CREDITS) {
		const ended = await jobEnded(harness, runVideo(harness, 'text', options, { user }));
		expect(ended).toContain('Your video: https://discord.com/channels/');
		return ended;
	}

	it('a member spends up to their per_user limit, then is told the cost, what is left and when it resets; nothing is submitted', async () => {
		await start();
		const saved = await privateAnswer(harness, runQuota(harness, 'set', { credits: 20, period: 'day', per_user: 10 }));
		expect(saved).toContain('Saved: this server may spend **20** credits per day (UTC).');
		expect(saved).toContain('Each member may spend **10** credits per day');

		expect(await spend()).toContain('5 credits');
		expect(await spend()).toContain('5 credits');
		expect(harness.modelverse.submissions).toHaveLength(2);

		const refused = runVideo(harness, 'text', FIVE_CREDITS);
		const answer = await privateAnswer(harness, refused);
		expect(answer).toMatch(
			/^This video would cost 5 credits, but you have 0 left this period \(the server has 10\)\. Your credits reset <t:\d+:R>\. Nothing was submitted\.$/,
		);
		const resetsAt = resetTimestamp(answer);
		expect(resetsAt % DAY_S).toBe(0);
		expect(resetsAt - Date.now() / 1000).toBeGreaterThan(0);
		expect(resetsAt - Date.now() / 1000).toBeLessThanOrEqual(DAY_S);
		await harness.discord.waitFor(() => refused.original() === undefined);
		expect(harness.modelverse.submissions).toHaveLength(2);
	});

	it('a member’s own limit beats per_user until cleared; credits and clear must come one at a time', async () => {
		await start();
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 100, period: 'day', per_user: 10 }));
		const other = someMember(1);

		const given = await privateAnswer(harness, runQuota(harness, 'member', { user: { user: MEMBER }, credits: 15 }));
		expect(given).toBe(`<@${MEMBER.id}> may now spend **15** credits per day, whatever the server’s per-member limit.`);
		expect(await usageOf(harness)).toContain('0 of 15 used · 15 left');
		expect(await spend(MEMBER, FIFTEEN_CREDITS)).toContain('15 credits');
		expect(await privateAnswer(harness, runVideo(harness, 'text', FIFTEEN_CREDITS, { user: other }))).toContain(
			'would cost 15 credits, but you have 10 left',
		);

		const both = runQuota(harness, 'member', { user: { user: MEMBER }, credits: 50, clear: true });
		const neither = runQuota(harness, 'member', { user: { user: MEMBER } });
		for (const refused of [both, neither]) {
			expect(await privateAnswer(harness, refused)).toBe(
				'Give exactly one of `credits` (their own limit) or `clear: True` (remove it).',
			);
		}
		expect(await usageOf(harness)).toContain('15 of 15 used · 0 left');

		const cleared = await privateAnswer(harness, runQuota(harness, 'member', { user: { user: MEMBER }, clear: true }));
		expect(cleared).toBe(
			`<@${MEMBER.id}> no longer has a limit of their own; the server’s per-member limit applies again.`,
		);
		expect(await usageOf(harness)).toContain('15 of 10 used · 0 left');
		expect(harness.modelverse.submissions).toHaveLength(1);
	});

	it('a member without Manage Server is refused every /quota subcommand even when it reaches the bot, and nothing changes', async () => {
		await start();
		await spend();
		const asMember = { user: MEMBER, memberPermissions: '0' };
		const attempts = [
			runQuota(harness, 'set', { credits: 1, period: 'day', per_user: 0 }, asMember),
			runQuota(harness, 'member', { user: { user: MEMBER }, credits: 1_000 }, asMember),
			runQuota(harness, 'reset', {}, asMember),
			runQuota(harness, 'show', {}, asMember),
		];
		for (const attempt of attempts) {
			expect(await privateAnswer(harness, attempt)).toBe(NEEDS_MANAGE_SERVER);
			expect(attempt.callbacks()).toMatchObject([{ type: 5, data: { flags: 64 } }]);
		}

		const usage = await usageOf(harness);
		expect(usage).toContain('5 used · no limit of your own');
		expect(usage).toContain('5 of 1000 used · 995 left');
		const shown = await privateAnswer(harness, runQuota(harness, 'show'));
		expect(shown).toContain('1000 credits per month (UTC), the bot’s default');
		expect(shown).toContain('no limit beyond the server’s · members with their own limit: 0');
	});

	it('a limit that could go past the operator’s monthly cap over a month is saved with a note that the cap applies', async () => {
		await start({ env: { SERVER_MONTHLY_CAP: '12' } });
		const withinCap = await privateAnswer(harness, runQuota(harness, 'set', { credits: 10, period: 'month' }));
		expect(withinCap).not.toContain('cap');
		const pastCapOverAMonth = await privateAnswer(harness, runQuota(harness, 'set', { credits: 10, period: 'week' }));
		expect(pastCapOverAMonth).toContain('Saved: this server may spend **10** credits per week (UTC).');
		expect(pastCapOverAMonth).toContain('The bot’s operator caps every server at **12** credits per calendar month');
		await spend();
		expect(await usageOf(harness)).toMatch(/Monthly cap \(set by the bot’s operator\)\n5 of 12 used this month/);
	});

	it('a limit above the operator’s cap is refused, says the cap, and stores nothing, from /quota set and /quota member alike', async () => {
		await start({ env: { SERVER_MONTHLY_CAP: '100' } });
		const refusals = [
			runQuota(harness, 'set', { credits: 9_007_199_254_740_991, period: 'month' }),
			runQuota(harness, 'set', { credits: 101, period: 'day' }),
			runQuota(harness, 'set', { credits: 50, period: 'month', per_user: 101 }),
			runQuota(harness, 'member', { user: { user: MEMBER }, credits: 101 }),
		];
		const answers = await Promise.all(refusals.map((handle) => privateAnswer(harness, handle)));
		expect(answers).toEqual([
			'`credits` cannot be 9007199254740991: the bot’s operator lets a server spend at most **100** credits per calendar month. Nothing was saved.',
			'`credits` cannot be 101: the bot’s operator lets a server spend at most **100** credits per calendar month. Nothing was saved.',
			'`per_user` cannot be 101: the bot’s operator lets a server spend at most **100** credits per calendar month. Nothing was saved.',
			'`credits` cannot be 101: the bot’s operator lets a server spend at most **100** credits per calendar month. Nothing was saved.',
		]);
		const zh = await privateAnswer(
			harness,
			runQuota(harness, 'set', { credits: 101, period: 'month' }, { locale: 'zh-CN' }),
		);
		expect(zh).toBe(
			'`credits` 不能设为 101：机器人运营者规定每个服务器每自然月最多使用 **100** 点额度。未做任何保存。',
		);

		const shown = await privateAnswer(harness, runQuota(harness, 'show'));
		expect(shown).toContain('1000 credits per month (UTC), the bot’s default');
		expect(shown).toContain('no limit beyond the server’s · members with their own limit: 0');
		expect(await usageOf(harness)).toContain('0 used · no limit of your own');
	});

	it('/quota show lists the limits, the period, its usage and the heaviest users', async () => {
		await start();
		const [heavy, light, ownLimit] = [someMember(1), someMember(2), someMember(3)];
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 100, period: 'week', per_user: 30 }));
		await privateAnswer(harness, runQuota(harness, 'member', { user: { user: ownLimit }, credits: 50 }));
		await Promise.all([spend(heavy), spend(light)]);
		await spend(heavy);

		const shown = await privateAnswer(harness, runQuota(harness, 'show'));
		expect(shown).toContain('Video credits for this server');
		expect(shown).toContain('100 credits per week (UTC), set by this server’s admins');
		expect(shown).toMatch(/This week\n15 of 100 used · 85 left · resets <t:\d+:R>/);
		expect(shown).toContain('30 credits per week · members with their own limit: 1');
		expect(shown).toContain('0 (at most 5 at once)');
		expect(shown).toContain(`Heaviest users this week\n1. <@${heavy.id}>: 10 of 30\n2. <@${light.id}>: 5 of 30`);
		const mondayMidnight = resetTimestamp(shown);
		expect(new Date(mondayMidnight * 1000).getUTCDay()).toBe(1);
		expect(mondayMidnight % DAY_S).toBe(0);
	});

	it('/quota reset zeroes this period’s usage for one member, then for the whole server', async () => {
		await start();
		const other = someMember(1);
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 20, period: 'day', per_user: 10 }));
		await spend();
		await spend();
		await spend(other);
		expect(await privateAnswer(harness, runVideo(harness, 'text', FIVE_CREDITS))).toContain('you have 0 left');

		const memberReset = await privateAnswer(harness, runQuota(harness, 'reset', { user: { user: MEMBER } }));
		expect(memberReset).toBe(
			`This day’s usage was reset for <@${MEMBER.id}>.\nThe operator’s monthly cap is not reset: it counts everything spent this month.`,
		);
		const afterMemberReset = await usageOf(harness);
		expect(afterMemberReset).toContain('You\n0 of 10 used · 10 left');
		expect(afterMemberReset).toContain('This server\n5 of 20 used · 15 left');
		expect(await usageOf(harness, other)).toContain('You\n5 of 10 used · 5 left');
		await spend();

		expect(await privateAnswer(harness, runQuota(harness, 'reset'))).toBe(
			'This day’s usage was reset for the whole server.\nThe operator’s monthly cap is not reset: it counts everything spent this month.',
		);
		const afterServerReset = await usageOf(harness, other);
		expect(afterServerReset).toContain('You\n0 of 10 used · 10 left');
		expect(afterServerReset).toContain('This server\n0 of 20 used · 20 left');
		expect(await privateAnswer(harness, runQuota(harness, 'show'))).toContain(
			'Nobody has used any credits this period.',
		);
		expect(harness.modelverse.submissions).toHaveLength(4);
	});
});
