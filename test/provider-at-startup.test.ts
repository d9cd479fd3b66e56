import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { charged, creditsOf, postedVideos, runVideo, visibleText, waitForProgressText } from '../standins/journeys.js';
import type { BotProcess } from './support/bot-process.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';

/** A port free a moment ago, for the bot's health listener. */
async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (typeof address !== 'object' || address === null) throw new Error('no port');
	return address.port;
}

const logged = (bot: BotProcess) => bot.lines.map((line) => JSON.parse(line) as Record<string, unknown>);

/** As long as the provider fails, that is; the stand-in's faults are cleared when the test says it recovers. */
const UNTIL_RECOVERED = 100_000;

describe('Modelverse failing while the bot starts', () => {
	let world: ProcessStandIns;

	afterEach(async () => {
		await world.close();
	});

	it.each([
		{ failure: 'answering 429', fault: { status: 429 }, env: {} },
		{ failure: 'answering 500', fault: { status: 500 }, env: {} },
		{ failure: 'not answering in time', fault: { delayMs: 2_000 }, env: { MODELVERSE_STATUS_TIMEOUT_MS: '300' } },
	])(
		'$failure: the bot starts, resumes, serves commands, stays alive, says it is not ready on /readyz and why on /healthz, and delivers once it recovers',
		async ({ fault, env }) => {
			world = await startProcessStandIns({ modelverse: { hold: true } });
			const { discord, modelverse } = world;
			const first = await world.start(env);
			const before = runVideo(world, 'text', { prompt: 'rain on a tin roof' });
			await waitForProgressText(world, before, 'Queued');
			expect(await first.stop('SIGTERM')).toMatchObject({ code: 0 });

			modelverse.injectFault('status', fault, UNTIL_RECOVERED);
			const port = await freePort();
			const bot = await world.start({
				...env,
				HEALTH_PORT: String(port),
				MODELVERSE_KEY_CHECK_RETRY_MS: '100',
				MODELVERSE_KEY_CHECK_RETRY_MAX_MS: '400',
			});
			expect(logged(bot).find((line) => line.msg === 'bot ready')).toMatchObject({ resumed: 1 });
			expect(bot.lines.some((line) => line.includes('Modelverse did not answer the key check'))).toBe(true);
			await bot.waitForLine('health and metrics listening');
			const alive = await fetch(`http://127.0.0.1:${port}/healthz`);
			expect(alive.status).toBe(200);
			expect(((await alive.json()) as { notReady: Record<string, string> }).notReady.modelverse).toMatch(
				/^the API key is not confirmed yet/,
			);
			const unhealthy = await fetch(`http://127.0.0.1:${port}/readyz`);
			expect(unhealthy.status).toBe(503);
			expect(((await unhealthy.json()) as { checks: Record<string, string> }).checks.modelverse).toMatch(
				/^the API key is not confirmed yet/,
			);

			const during = runVideo(world, 'text', { prompt: 'a fox in fresh snow' });
			await discord.waitFor(() => modelverse.submissions[1], 10_000);
			await waitForProgressText(world, during, 'Queued');

			modelverse.clearFaults('status');
			await bot.waitForLine('Modelverse accepted the API key');
			expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
			for (const submission of modelverse.submissions) modelverse.complete(submission.taskId, 'Success');
			await discord.waitFor(
				() => [before, during].every((handle) => visibleText(handle.original()).includes('Done')),
				15_000,
			);
			expect(postedVideos(world)).toHaveLength(2);
			expect(modelverse.submissions).toHaveLength(2);
			expect(await creditsOf(world)).toEqual(charged(18));
		},
	);

	it.each([
		{ answer: '401 (a wrong key)', start: (w: ProcessStandIns) => w.spawn({ MODELVERSE_API_KEY: 'mv-not-the-key' }) },
		{
			answer: '403 (spending limit or address refused)',
			start: (w: ProcessStandIns) => {
				w.modelverse.injectFault('status', { status: 403 });
				return w.spawn();
			},
		},
	])(
		'$answer: the start stops with one clear fatal line and exit code 1, before connecting to Discord',
		async ({ start }) => {
			world = await startProcessStandIns();

			const bot = start(world);
			expect(await bot.ended()).toMatchObject({ code: 1 });

			const fatal = logged(bot).filter((line) => line.level === 60);
			expect(fatal).toEqual([
				expect.objectContaining({
					msg: 'the bot could not start',
					err: expect.objectContaining({
						message: expect.stringMatching(/^Modelverse refused the API key \(40[13]\)/),
					}),
				}),
			]);
			expect(bot.lines.join('\n')).not.toContain('mv-not-the-key');
			expect(world.discord.requests.filter((request) => request.path === '/gateway/bot')).toEqual([]);
		},
	);
});
