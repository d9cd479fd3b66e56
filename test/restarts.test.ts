import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { charged, creditsOf, postedVideos as postedVideosOf, runVideo, visibleText } from '../standins/journeys.js';
import type { BotProcess } from './support/bot-process.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';

/**
 * The bot runs as its own process and is killed with SIGKILL at each stage of a job, then started again on the same
 * data: every job must end exactly once, with the video posted once and credits charged once or returned.
 */
describe('a job survives the bot being killed', () => {
	let world: ProcessStandIns;
	let discord: ProcessStandIns['discord'];
	let modelverse: ProcessStandIns['modelverse'];
	let bot: BotProcess | undefined;

	beforeEach(async () => {
		world = await startProcessStandIns({ modelverse: { hold: true }, env: { SUBMIT_RETRY_DELAY_MS: '1500' } });
		({ discord, modelverse } = world);
		bot = undefined;
	});

	afterEach(async () => {
		await world.close();
	});

	async function startBot(): Promise<BotProcess> {
		bot = await world.start();
		return bot;
	}

	async function killAndRestart(): Promise<BotProcess> {
		await bot?.stop('SIGKILL');
		return startBot();
	}

	const submitsReceived = () => modelverse.received.filter((request) => request.route === 'submit').length;

	const postedVideos = () => postedVideosOf(world);
	const runTextVideo = () => runVideo(world, 'text', { prompt: 'a kite over dunes' });

	it('while polling: the restarted bot follows the task and posts the video once', async () => {
		await startBot();
		const command = runTextVideo();
		await discord.waitFor(() => visibleText(command.original()).includes('Queued'), 10_000);
		await killAndRestart();

		const taskId = modelverse.submissions[0]?.taskId ?? '';
		modelverse.complete(taskId, 'Success');
		await discord.waitFor(() => visibleText(command.original()).includes('Done'), 15_000);
		expect(postedVideos()).toHaveLength(1);
		expect(modelverse.submissions).toHaveLength(1);
		expect(await creditsOf({ discord })).toEqual(charged(9));
	});

	it('mid-submit: the provider has the submit but the bot dies before the answer; the member is told, credits return, and nothing is submitted again', async () => {
		modelverse.injectFault('submit', { delayMs: 4_000 });
		await startBot();
		const command = runTextVideo();
		await discord.waitFor(() => submitsReceived() === 1, 10_000);
		const restarted = await killAndRestart();

		await discord.waitFor(() => visibleText(command.original()).includes('did not confirm'), 10_000);
		await restarted.waitForLine('may have been billed');
		// The provider answers after its delay, to a bot long gone, having made the task as a real one would.
		await discord.waitFor(() => modelverse.submissions.length > 0, 10_000);
		expect(modelverse.submissions).toHaveLength(1);
		expect(submitsReceived()).toBe(1);
		expect(postedVideos()).toHaveLength(0);
		expect(await creditsOf({ discord })).toEqual(charged(0));
	});

	it('while waiting after a 429: the restarted bot submits once and delivers', async () => {
		modelverse.injectFault('submit', { status: 429, retryAfterSeconds: 1 });
		await startBot();
		const command = runTextVideo();
		await discord.waitFor(() => visibleText(command.original()).includes('busy'), 10_000);
		await killAndRestart();

		const taskId = await discord.waitFor(() => modelverse.submissions[0]?.taskId, 10_000);
		modelverse.complete(taskId, 'Success');
		await discord.waitFor(() => visibleText(command.original()).includes('Done'), 15_000);
		expect(modelverse.submissions).toHaveLength(1);
		expect(postedVideos()).toHaveLength(1);
		expect(await creditsOf({ discord })).toEqual(charged(9));
	});

	it('while downloading: the restarted bot downloads again and posts once', async () => {
		modelverse.injectFault('download', { delayMs: 5_000 });
		await startBot();
		const command = runTextVideo();
		const taskId = await discord.waitFor(() => modelverse.submissions[0]?.taskId, 10_000);
		modelverse.complete(taskId, 'Success');
		await discord.waitFor(() => visibleText(command.original()).includes('being posted'), 10_000);
		await killAndRestart();

		await discord.waitFor(() => visibleText(command.original()).includes('Done'), 15_000);
		expect(postedVideos()).toHaveLength(1);
		expect(await creditsOf({ discord })).toEqual(charged(9));
	});

	/**
	 * Discord makes the video's message at once but keeps its answer (on `path`) until the bot that asked is killed;
	 * then a new bot starts and the job runs to its end.
	 */
	async function killWhilePosting(path: RegExp, before: () => void = () => {}) {
		const answer = discord.failRoutes({ method: 'POST', path }, { hold: true });
		await startBot();
		const command = runTextVideo();
		const taskId = await discord.waitFor(() => modelverse.submissions[0]?.taskId, 10_000);
		modelverse.complete(taskId, 'Success');
		const [posted] = await discord.waitFor(() => postedVideos().length > 0 && postedVideos(), 10_000);
		expect(answer.waiting).toBe(1);
		await bot?.stop('SIGKILL');
		answer.end();
		before();
		await startBot();
		await discord.waitFor(() => visibleText(command.original()).includes('Done'), 15_000);
		expect(visibleText(command.original())).toContain(posted?.id);
		expect(postedVideos()).toEqual([posted]);
		expect(await creditsOf({ discord })).toEqual(charged(9));
		return posted;
	}

	it('while posting its follow-up: Discord made the message but the bot died before hearing so; the restarted bot finds it and posts nothing more', async () => {
		await killWhilePosting(/^\/webhooks\/\d+\/[^/]+$/);
		const uploads = discord.requests.filter((request) => request.method === 'POST' && request.files.length > 0);
		expect(uploads).toHaveLength(1);
	});

	it('while posting in the channel once the token was refused: the nonce and the channel’s history keep it to one', async () => {
		const refused = discord.failRoutes(
			{ method: 'POST', path: /^\/webhooks\/\d+\/[^/]+$/ },
			{ status: 401, code: 50027, message: 'Invalid Webhook Token' },
		);
		const posted = await killWhilePosting(/^\/channels\/\d+\/messages$/, () => refused.end());
		expect(posted?.nonce).toBeDefined();
	});

	it('SIGTERM stops the bot cleanly within 10 s, and the next start carries on', async () => {
		await startBot();
		const command = runTextVideo();
		await discord.waitFor(() => visibleText(command.original()).includes('Queued'), 10_000);
		// The bot exits 1 when its 10 s grace runs out, so exit code 0 is the proof it stopped in time.
		expect(await bot?.stop('SIGTERM')).toMatchObject({ code: 0 });

		await startBot();
		modelverse.complete(modelverse.submissions[0]?.taskId ?? '', 'Success');
		await discord.waitFor(() => visibleText(command.original()).includes('Done'), 15_000);
		expect(postedVideos()).toHaveLength(1);
	});
});
