import { describe, expect, it } from 'vitest';
import type { Harness, HarnessOptions } from '../standins/harness.js';
import {
	ADMIN,
	botPostsIn,
	jobEnded,
	MEMBER,
	privateAnswer,
	runModeration,
	runQuota,
	runVideo,
	waitForDelivered,
} from '../standins/journeys.js';
import { DEFAULT_TASK_PLAN } from '../standins/modelverse/modelverse-standin.js';
import { startHarnessForTest } from './support/harness-per-test.js';

const GENERAL = '420000000000000011';
const LOG = '420000000000000012';
const VOICE = '420000000000000013';
const GUILD = {
	id: '420000000000000001',
	name: 'Paper Boats',
	channels: [
		{ id: GENERAL, name: 'general' },
		{ id: LOG, name: 'mod-log' },
		{ id: VOICE, name: 'lounge', type: 2 },
	],
};
const LOG_POSTS = new RegExp(`^/channels/${LOG}/messages$`);

describe('the moderation log: job, refusal and admin events in a channel admins choose', () => {
	let harness: Harness;
	const start = async (options: HarnessOptions = {}) =>
		(harness = await startHarnessForTest({ discord: { guilds: [GUILD] }, ...options }));

	const logLines = () => botPostsIn(harness, LOG).flatMap((message) => message.split('\n'));
	const waitForLogLine = (text: string, timeoutMs = 10_000) =>
		harness.discord.waitFor(() => logLines().find((line) => line.includes(text)), timeoutMs);
	const postsToLog = () =>
		harness.discord.requests.filter((request) => request.method === 'POST' && LOG_POSTS.test(request.path));
	const dmsTo = (userId: string) =>
		harness.discord.requests
			.filter((request) => request.path === '/users/@me/channels' && request.status === 200)
			.filter((request) => (request.body as { recipient_id?: string }).recipient_id === userId)
			.map((request) => (request.response as { id: string }).id)
			.flatMap((channelId) => botPostsIn(harness, channelId));

	it('posts accepted and ended jobs, refusals and admin changes, mentioning members without pinging them', async () => {
		await start({
			modelverse: {
				plan: (body) =>
					body.input.prompt.includes('doomed')
						? { ...DEFAULT_TASK_PLAN, outcome: 'Failure', errorMessage: 'The prompt was rejected.' }
						: DEFAULT_TASK_PLAN,
			},
		});
		expect(await privateAnswer(harness, runModeration(harness, 'log', { channel: { channel: LOG } }))).toBe(
			`Job and admin events will be posted in <#${LOG}>.`,
		);
		await waitForLogLine(`🛠️ <@${ADMIN.id}> used /moderation log channel:<#${LOG}>`);
		await privateAnswer(harness, runQuota(harness, 'set', { credits: 100, period: 'day', per_user: 10 }));
		await waitForLogLine(`🛠️ <@${ADMIN.id}> used /quota set credits:100 period:day per_user:10`);
		await privateAnswer(harness, runModeration(harness, 'block', { term: 'gore' }));
		await waitForLogLine(`🛠️ <@${ADMIN.id}> used /moderation block term:gore`);

		const prompt = `**bold** <@${ADMIN.id}> @everyone [click](https://example.com)`;
		const posted = await waitForDelivered(harness, runVideo(harness, 'text', { prompt, resolution: '360p' }));
		const accepted = await waitForLogLine(`🎬 <@${MEMBER.id}> started a video · text to video · 360p · 5s · 16:9`);
		const jobId = /job `([\w-]+)`/.exec(accepted)?.[1] ?? '';
		expect(accepted).toMatch(new RegExp(`audio off · seed \\d+ · 5 credits · job \`${jobId}\`$`));
		const promptLine = logLines()[logLines().indexOf(accepted) + 1] ?? '';
		expect(promptLine).toBe(`> \\*\\*bold\\*\\* \\<@${ADMIN.id}> @everyone \\[click](https://example.com)`);
		await waitForLogLine(
			`✅ <@${MEMBER.id}>’s video is done · job \`${jobId}\` · https://discord.com/channels/${GUILD.id}/${GENERAL}/${posted.id}`,
		);

		await jobEnded(harness, runVideo(harness, 'text', { prompt: 'a doomed ship', resolution: '360p', duration: 1 }));
		await waitForLogLine(`<@${MEMBER.id}>’s video: failed · job`);
		expect(await waitForLogLine('’s video: failed')).toMatch(
			/· The video could not be made: The prompt was rejected\.$/,
		);

		await privateAnswer(harness, runVideo(harness, 'text', { prompt: 'GORE at noon' }));
		await waitForLogLine(
			`🚫 <@${MEMBER.id}>’s prompt was refused (text to video): it contains the blocked term “gore”.`,
		);
		await privateAnswer(
			harness,
			runVideo(harness, 'text', { prompt: 'a long voyage', resolution: '360p', duration: 15 }),
		);
		expect(await waitForLogLine(`⛔ <@${MEMBER.id}> was refused a video (text to video):`)).toContain(
			'This video would cost 15 credits, but you have 5 left this period',
		);

		expect(botPostsIn(harness, GENERAL).join('\n')).not.toContain('started a video');
		const bodies = postsToLog().map((request) => request.body as Record<string, unknown>);
		expect(bodies.length).toBeGreaterThan(0);
		for (const body of bodies) expect(body).toMatchObject({ allowed_mentions: { parse: [] }, flags: 4 });
	});

	it('sends the lines that arrive while a post is under way together, in order, in one message', async () => {
		await start();
		const held = harness.discord.failRoutes({ method: 'POST', path: LOG_POSTS }, { hold: true });
		await privateAnswer(harness, runModeration(harness, 'log', { channel: { channel: LOG } }));
		await harness.discord.waitFor(() => held.waiting === 1);
		for (const term of ['first', 'second', 'third']) {
			await privateAnswer(harness, runModeration(harness, 'block', { term }));
		}
		await privateAnswer(harness, runModeration(harness, 'list'));
		held.end();

		const together = await harness.discord.waitFor(() =>
			botPostsIn(harness, LOG).find((message) => message.includes('term:third')),
		);
		expect(together.split('\n')).toEqual(
			['first', 'second', 'third'].map((term) => `🛠️ <@${ADMIN.id}> used /moderation block term:${term}`),
		);
		expect(postsToLog()).toHaveLength(2);
	});

	it('tells the admin who set it, once, when Discord refuses the channel; shows it in /moderation list; stops until set again', async () => {
		await start();
		const refusing = harness.discord.failRoutes(
			{ method: 'POST', path: LOG_POSTS },
			{ status: 403, code: 50001, message: 'Missing Access' },
		);
		await privateAnswer(harness, runModeration(harness, 'log', { channel: { channel: LOG } }));
		const told = await harness.discord.waitFor(() => dmsTo(ADMIN.id)[0]);
		expect(told).toBe(
			`The moderation log of Paper Boats is stopped: the bot could not post in <#${LOG}> because the bot may not post there. Set it again with \`/moderation log\` once the bot can post there.`,
		);

		await privateAnswer(harness, runModeration(harness, 'block', { term: 'gore' }));
		await waitForDelivered(harness, runVideo(harness, 'text', { prompt: 'a quiet harbour', resolution: '360p' }));
		const listed = await privateAnswer(harness, runModeration(harness, 'list'));
		expect(listed).toMatch(
			new RegExp(`<#${LOG}>: stopped <t:\\d+:R> because the bot may not post there\\. Nothing is posted there until`),
		);
		expect(postsToLog()).toHaveLength(1);
		expect(dmsTo(ADMIN.id)).toHaveLength(1);

		refusing.end();
		await privateAnswer(harness, runModeration(harness, 'log', { channel: { channel: LOG } }, { locale: 'zh-CN' }));
		await waitForLogLine(`🛠️ <@${ADMIN.id}> 使用了 /moderation log channel:<#${LOG}>`);
		expect(await privateAnswer(harness, runModeration(harness, 'list'))).toMatch(
			new RegExp(`Log channel\\n<#${LOG}>, set by <@${ADMIN.id}> <t:\\d+:R>`),
		);
	});

	it('refuses a channel the bot may not post in, or one that is not a text channel, and is turned off by an admin', async () => {
		await start();
		const voice = await privateAnswer(harness, runModeration(harness, 'log', { channel: { channel: VOICE } }));
		expect(voice).toBe(`<#${VOICE}> is not a text channel of this server. Pick one.`);
		// The gateway tells the bot before the command arrives, on the same connection, as Discord does.
		harness.discord.denyChannelPermission(GENERAL);
		const denied = await privateAnswer(harness, runModeration(harness, 'log', { channel: { channel: GENERAL } }));
		expect(denied).toBe(
			`The bot cannot post in <#${GENERAL}>: it needs View Channel and Send Messages there. Nothing was changed.`,
		);
		expect(await privateAnswer(harness, runModeration(harness, 'list'))).toContain('Log channel\nOff.');

		await privateAnswer(harness, runModeration(harness, 'log', { channel: { channel: LOG } }));
		await waitForLogLine('used /moderation log channel');
		expect(await privateAnswer(harness, runModeration(harness, 'log'))).toBe(
			`The moderation log is off; nothing more is posted in <#${LOG}>.`,
		);
		await waitForLogLine(`🛠️ <@${ADMIN.id}> turned the moderation log off; nothing more is posted here.`);
		expect(await privateAnswer(harness, runModeration(harness, 'log'))).toBe('The moderation log was already off.');
		await privateAnswer(harness, runModeration(harness, 'block', { term: 'gore' }));
		expect(await privateAnswer(harness, runModeration(harness, 'list'))).toContain('Log channel\nOff.');
		expect(logLines().join('\n')).not.toContain('term:gore');
	});
});
