import { afterEach, expect, it } from 'vitest';
import { charged, creditsOf, jobEnded, postedVideos, runVideo, visibleText } from '../standins/journeys.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';

let world: ProcessStandIns;

afterEach(async () => {
	await world.close();
});

it('a /video text that arrives while the bot is still starting is accepted, submitted once and delivered', async () => {
	world = await startProcessStandIns({ modelverse: { hold: true } });
	const { discord, modelverse } = world;
	// The bot is kept in its start-up (registering commands, before resuming jobs) until the command is in.
	const commandSync = discord.failRoutes({ method: 'GET', path: /^\/applications\/\d+\/commands$/ }, { hold: true });
	// And the provider keeps the submit unanswered until start-up is over, so resume finds the job mid-submit.
	let answerSubmit = () => {};
	modelverse.injectFault('submit', { until: new Promise<void>((resolve) => (answerSubmit = resolve)) });
	const bot = world.spawn();
	await discord.waitFor(() => commandSync.waiting > 0, 20_000);

	const command = runVideo(world, 'text', { prompt: 'a heron lifting off a misty lake' });
	await discord.waitFor(() => modelverse.received.some((request) => request.route === 'submit'), 10_000);
	expect(bot.lines.some((line) => line.includes('bot ready'))).toBe(false);
	commandSync.end();
	await bot.waitForLine('bot ready');
	answerSubmit();

	const taskId = await discord.waitFor(() => modelverse.submissions[0]?.taskId, 10_000);
	modelverse.complete(taskId, 'Success');
	expect(await jobEnded(world, command, 15_000)).toContain('Done');
	expect(visibleText(command.original())).not.toContain('did not confirm');
	expect(postedVideos(world)).toHaveLength(1);
	expect(modelverse.received.filter((request) => request.route === 'submit')).toHaveLength(1);
	expect(await creditsOf(world)).toEqual(charged(9));
});
