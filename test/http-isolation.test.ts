import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchBytes, runVideo, waitForPostedVideo } from '../standins/journeys.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';

const reportDispatcher = fileURLToPath(new URL('./support/report-undici-dispatcher.ts', import.meta.url));

/**
 * discord.js bundles another undici major, and both share one process-wide default dispatcher that whichever loads
 * first installs. Each order gets a fresh process, so a module graph already loaded cannot hide the other order.
 */
describe('uploads to Discord work whichever undici loads first', () => {
	let world: ProcessStandIns;

	afterEach(async () => {
		await world.close();
	});

	it.each([
		['our undici', 'undici', 'ours'],
		['discord.js’s undici', 'discord.js', 'discord.js’s'],
	])('with %s loaded first, the video is uploaded', async (_name, first, owner) => {
		world = await startProcessStandIns();
		const { modelverse } = world;
		const bot = world.spawn({}, [first, reportDispatcher]);
		expect(await bot.waitForLine('undici global dispatcher:')).toBe(`undici global dispatcher: ${owner}`);
		await bot.waitForLine('bot ready');

		runVideo(world, 'text', { prompt: 'order of imports' });
		const posted = await waitForPostedVideo(world);

		expect(posted.attachments).toHaveLength(1);
		const uploaded = await fetchBytes(posted.attachments[0]?.url ?? '');
		const provided = await fetchBytes(modelverse.videoUrl(modelverse.submissions[0]?.taskId ?? ''));
		expect(uploaded.equals(provided)).toBe(true);
	});
});
