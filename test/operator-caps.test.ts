import { describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../standins/discord/index.js';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import {
	creditsOf,
	jobEnded,
	logEntries,
	MEMBER,
	privateAnswer,
	privateAnswerNow,
	progressReplyNow,
	runQuota,
	runVideo,
	someMember,
	usageOf,
} from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

// 360p costs 1 credit a second.
const FIVE_CREDITS = { prompt: 'a paper boat on a pond', resolution: '360p', duration: 5 } as const;
const TEN_CREDITS = { prompt: 'a lighthouse in fog', resolution: '360p', duration: 10 } as const;

const HOME = { id: '340000000000000001', name: 'Home', channels: [{ id: '340000000000000011' }] };
const AWAY = { id: '340000000000000002', name: 'Away', channels: [{ id: '340000000000000012' }] };
const TWO_SERVERS = { guilds: [HOME, AWAY] };

/** Running limits high enough that only credits decide a race; tasks held so nothing ends while racing. */
const RACE = { MAX_RUNNING_JOBS_PER_MEMBER: '20', MAX_RUNNING_JOBS_PER_SERVER: '20' };

describe('the operator’s caps hold whatever admins set and however commands race', () => {
	let harness: Harness;
	const start = async (options: HarnessOptions = {}) => (harness = await startHarnessForTest(options));

	const runVideoIn = (guildId: string, options: Record<string, string | number>, user = MEMBER) =>
		runVideo(harness, 'text', options, { user, guildId });

	async function settled(handles: InteractionHandle[]) {
		await harness.discord.waitFor(
			() => handles.every((handle) => privateAnswerNow(handle) ?? progressReplyNow(handle)),
			20_000,
		);
		return {
			accepted: handles.filter((handle) => progressReplyNow(handle)),
			refusals: handles.flatMap((handle) => privateAnswerNow(handle) ?? []),
		};
	}

	it('20 commands racing for a server monthly cap that fits 5 jobs submit exactly 5, whatever the admins set', async () => {
		await start({ env: { ...RACE, SERVER_MONTHLY_CAP: '25' }, modelverse: { hold: true } });
		const members = [0, 1, 2, 3].map(someMember);
		const racers = Array.from({ length: 20 }, (_, index) =>
			runVideoIn(harness.discord.guildId, FIVE_CREDITS, members[index % members.length]),
		);

		const { accepted, refusals } = await settled(racers);
		expect(accepted).toHaveLength(5);
		expect(refusals).toHaveLength(15);
		for (const refusal of refusals) {
			expect(refusal).toMatch(/^This video would cost 5 credits, but the server has 0 left under the bot operator’s/);
		}
		await harness.discord.waitFor(() => harness.modelverse.submissions.length >= 5);
		expect(harness.modelverse.submissions).toHaveLength(5);
		expect(await usageOf(harness, members[0])).toContain('25 of 25 used this month');
	});

	it('20 commands racing from two servers for a monthly credit cap that fits 9 jobs submit exactly 9 in all', async () => {
		await start({ env: { ...RACE, MONTHLY_CREDIT_CAP: '45' }, discord: TWO_SERVERS, modelverse: { hold: true } });
		const racers = Array.from({ length: 20 }, (_, index) =>
			runVideoIn(index % 2 === 0 ? HOME.id : AWAY.id, FIVE_CREDITS, someMember(index)),
		);

		const { accepted, refusals } = await settled(racers);
		expect(accepted).toHaveLength(9);
		expect(refusals).toHaveLength(11);
		for (const refusal of refusals) {
			expect(refusal).toMatch(
				/^This video would cost 5 credits, but the bot has reached its operator’s monthly limit for all servers together\. It resets <t:\d+:R>\. Nothing was submitted\.$/,
			);
		}
		await harness.discord.waitFor(() => harness.modelverse.submissions.length >= 9);
		expect(harness.modelverse.submissions).toHaveLength(9);
		const serverUsed = async (guildId: string) =>
			Number(/This server\n(\d+) of /.exec(await usageOf(harness, MEMBER, guildId))?.[1] ?? Number.NaN);
		expect((await serverUsed(HOME.id)) + (await serverUsed(AWAY.id))).toBe(45);
	});

	it('a submit with an unknown outcome (500) returns the member’s credits but counts against the cap, and /quota show and the metrics count it apart', async () => {
		await start({ env: { SERVER_MONTHLY_CAP: '12' } });
		harness.modelverse.injectFault('submit', { status: 500 });
		const lost = runVideoIn(harness.discord.guildId, FIVE_CREDITS);
		expect(await jobEnded(harness, lost)).toContain('did not confirm this job');
		expect(harness.modelverse.rejected.map((rejection) => rejection.status)).toEqual([500]);

		expect(await creditsOf(harness)).toMatchObject({ member: 0, server: 0 });
		expect(await usageOf(harness)).toContain('5 of 12 used this month');
		const shown = await privateAnswer(harness, runQuota(harness, 'show'));
		expect(shown).toContain('Unknown outcome\n5 credits this month');
		expect(shown).toContain('5 of 12 used this month');
		expect(await harness.bot.metrics.render()).toContain('pixverse_bot_unknown_outcome_credits_total 5');

		// 10 credits would fit the 12 of the cap if the lost submit had been returned to it as well.
		const refused = await privateAnswer(harness, runVideoIn(harness.discord.guildId, TEN_CREDITS));
		expect(refused).toMatch(
			/^This video would cost 10 credits, but the server has 7 left under the bot operator’s monthly cap \(you have 7\)/,
		);
		expect(harness.modelverse.submissions).toHaveLength(0);
		expect(await jobEnded(harness, runVideoIn(harness.discord.guildId, FIVE_CREDITS))).toContain('Your video:');
		expect(harness.modelverse.submissions).toHaveLength(1);
	});

	it('a server not on ALLOWED_GUILD_IDS is refused clearly and spends nothing; a listed one works', async () => {
		await start({ env: { ALLOWED_GUILD_IDS: `${HOME.id}, 340000000000000099` }, discord: TWO_SERVERS });
		const attempts = [
			runVideoIn(AWAY.id, FIVE_CREDITS),
			harness.discord.runCommand({ name: 'video', subcommand: 'usage', user: MEMBER, guildId: AWAY.id }),
			harness.discord.runCommand({
				name: 'quota',
				subcommand: 'set',
				options: { credits: 10, period: 'day' },
				user: MEMBER,
				memberPermissions: '32',
				guildId: AWAY.id,
			}),
		];
		for (const attempt of attempts) {
			expect(await privateAnswer(harness, attempt)).toBe(
				'This bot is not available in this server: its operator has not enabled it here. Nothing was charged.',
			);
			expect(attempt.callbacks()).toMatchObject([{ type: 4, data: { flags: 64 } }]);
		}
		const zh = harness.discord.runCommand({
			name: 'video',
			subcommand: 'usage',
			user: MEMBER,
			guildId: AWAY.id,
			locale: 'zh-CN',
		});
		expect(await privateAnswer(harness, zh)).toBe('本机器人在此服务器不可用：运营者未在这里启用它。未扣任何额度。');

		expect(await jobEnded(harness, runVideoIn(HOME.id, FIVE_CREDITS))).toContain('Your video:');
		expect(harness.modelverse.submissions.map((submission) => submission.body.input.prompt)).toEqual([
			FIVE_CREDITS.prompt,
		]);
		expect(await usageOf(harness, MEMBER, HOME.id)).toContain('This server\n5 of 1000 used');
	});

	it('warns at start-up, naming the risk, only when neither an allowlist nor a cap on the whole bill bounds spending', async () => {
		const WARN = 40;
		const warnings = () => logEntries(harness, { msg: /no ALLOWED_GUILD_IDS and MONTHLY_CREDIT_CAP=0/, level: WARN });
		await start({ env: { MONTHLY_CREDIT_CAP: '0' } });
		expect(warnings()).toEqual([
			expect.objectContaining({
				msg: 'no ALLOWED_GUILD_IDS and MONTHLY_CREDIT_CAP=0: any server that adds the bot spends on the Modelverse key, with no limit on the total bill',
			}),
		]);
		await harness.closeChecked();

		await start({ env: { MONTHLY_CREDIT_CAP: '0', ALLOWED_GUILD_IDS: HOME.id } });
		expect(warnings()).toEqual([]);
	});
});
