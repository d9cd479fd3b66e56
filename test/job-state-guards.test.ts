import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIEmbed } from 'discord.js';
import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_STATES, type Job } from '../src/domain/job.js';
import { buildSubmitBody } from '../src/modelverse/wire.js';
import { createLogger } from '../src/ops/logger.js';
import { KeyedMutex } from '../src/storage/keyed-mutex.js';
import { JobStore } from '../src/video/jobs/job-store.js';
import { type DiscordStandIn, startDiscordStandIn } from '../standins/discord/index.js';
import { MODELVERSE_TEST_KEY, standInEnvironment } from '../standins/harness.js';
import { creditsOf, postedVideos, runVideo, waitForDelivered, waitForProgressText } from '../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';
import { type BotProcess, spawnBot } from './support/bot-process.js';

function aJob(overrides: Partial<Job> = {}): Job {
	const reservation = {
		jobId: 'job-1',
		guildId: '400000000000000001',
		userId: '310000000000000001',
		cost: 9,
		periodKey: 'month:2026-12',
		monthKey: '2026-12',
	};
	return {
		id: 'job-1',
		guildId: reservation.guildId,
		channelId: '500000000000000001',
		userId: reservation.userId,
		locale: 'en-US',
		mode: 'text',
		prompt: 'a kite over dunes',
		settings: { resolution: '720p', aspectRatio: '16:9', duration: 5, audio: false, seed: 7 },
		cost: 9,
		inputUrls: [],
		inputImages: [],
		state: 'queued',
		createdAt: 1_000,
		updatedAt: 1_000,
		deadlineAt: 1_000 + 45 * 60_000,
		taskId: 'task-1',
		interaction: { applicationId: '600000000000000001', token: 'token', expiresAt: 901_000, attachmentSizeLimit: 1 },
		reservation,
		...overrides,
	};
}

describe('the job store changes a job only from the state its caller expects', () => {
	let store: JobStore;

	beforeEach(async () => {
		store = new JobStore({
			keyv: new Keyv(),
			mutex: new KeyedMutex(),
			logger: createLogger({ level: 'silent', secrets: [] }),
			now: () => 2_000,
		});
		await store.create(
			aJob(),
			buildSubmitBody('waves', { resolution: '540p', duration: 5, audio: false, seed: 1 }, { mode: 'text' }, 'url'),
		);
	});

	it('a change from a state the job is not in is refused, and the job stays as it was', async () => {
		expect(await store.update('job-1', ['rendering'], () => ({ state: 'failed' }))).toBeUndefined();
		expect(await store.get('job-1')).toMatchObject({ state: 'queued', updatedAt: 1_000 });

		expect(await store.update('job-1', ['queued'], () => ({ state: 'rendering' }))).toMatchObject({
			state: 'rendering',
			updatedAt: 2_000,
		});
	});

	it('a guard can judge the whole record where the state alone does not say', async () => {
		const unfinished = (job: Job) => job.state === 'queued' && job.result === undefined;
		expect(await store.update('job-1', unfinished, () => ({ state: 'rendering' }))).toMatchObject({
			state: 'rendering',
		});
		expect(await store.update('job-1', unfinished, () => ({ state: 'queued' }))).toBeUndefined();
	});

	it('an ended job never opens again, even for a caller that accepts any state', async () => {
		await store.update('job-1', ['queued'], () => ({ state: 'failed' }));
		expect(await store.update('job-1', JOB_STATES, () => ({ state: 'queued' }))).toBeUndefined();
		expect(await store.get('job-1')).toMatchObject({ state: 'failed' });
		expect(await store.openJobs()).toEqual([]);
	});

	it('of two changes racing from the same state, only the first applies', async () => {
		const [failed, delivering] = await Promise.all([
			store.update('job-1', ['queued', 'rendering'], () => ({ state: 'failed' })),
			store.update('job-1', ['queued', 'rendering'], () => ({ state: 'delivering' })),
		]);
		expect(failed).toMatchObject({ state: 'failed' });
		expect(delivering).toBeUndefined();
		expect(await store.get('job-1')).toMatchObject({ state: 'failed' });
	});

	it('a change that leaves the state alone (where progress is shown) still applies to an ended job', async () => {
		await store.update('job-1', ['queued'], () => ({ state: 'succeeded' }));
		expect(await store.update('job-1', JOB_STATES, () => ({ progressMessageId: '700000000000000001' }))).toMatchObject({
			state: 'succeeded',
			progressMessageId: '700000000000000001',
		});
	});
});

/**
 * Two processes on one store, as when a paused host comes back after its replacement took over: the old one's
 * question to the provider was answered while it was frozen, and it reads that answer late.
 */
describe('a late answer to a frozen process', () => {
	let discord: DiscordStandIn;
	let modelverse: ModelverseStandIn;
	let dataDir: string;
	const bots: BotProcess[] = [];

	beforeEach(async () => {
		discord = await startDiscordStandIn();
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_TEST_KEY, hold: true });
		dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bot-race-'));
	});

	afterEach(async () => {
		await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
		expect(discord.validationFailures).toEqual([]);
		expect(discord.unhandledRoutes).toEqual([]);
		await Promise.all([discord.close(), modelverse.close()]);
		rmSync(dataDir, { recursive: true, force: true });
	});

	async function startBot(): Promise<BotProcess> {
		// A status query waits as long as the test needs: the frozen process must read its answer, not time out.
		const bot = spawnBot({
			...standInEnvironment(discord, modelverse, dataDir),
			MODELVERSE_STATUS_TIMEOUT_MS: '120000',
		});
		bots.push(bot);
		await bot.waitForLine('bot ready');
		return bot;
	}

	const statusQueries = () => modelverse.received.filter((request) => request.route === 'status').length;

	function progressTitles(token: string): string[] {
		const path = `/webhooks/${discord.applicationId}/${token}/messages/@original`;
		return discord.requests
			.filter((request) => request.method === 'PATCH' && request.path === path && request.status === 200)
			.map((request) => (request.body as { embeds?: APIEmbed[] }).embeds?.[0]?.title ?? '');
	}

	it('does not reopen a job its replacement delivered, nor post or charge it again', async () => {
		const frozen = await startBot();
		const command = runVideo({ discord }, 'text', { prompt: 'a kite over the dunes' });
		await waitForProgressText({ discord }, command, 'Queued');
		const taskId = modelverse.submissions[0]?.taskId ?? '';
		const asked = statusQueries();
		modelverse.injectFault('status', { delayMs: 3_000 });
		await discord.waitFor(() => statusQueries() > asked);
		frozen.child.kill('SIGSTOP');
		modelverse.complete(taskId, 'Success');

		const replacement = await startBot();
		const posted = await waitForDelivered({ discord }, command);
		const titlesWhenDelivered = progressTitles(command.token);
		expect(titlesWhenDelivered.at(-1)).toBe('Done');

		frozen.child.kill('SIGCONT');
		// It acted on the answer: either it saw the job had moved on, or (wrongly) it delivered the video itself.
		const acted = /job had already moved on|job delivered/;
		await discord.waitFor(() => frozen.lines.find((line) => acted.test(line)), 20_000);
		await frozen.stop('SIGKILL');

		expect(progressTitles(command.token)).toEqual(titlesWhenDelivered);
		expect(postedVideos({ discord })).toEqual([posted]);
		expect(frozen.lines.filter((line) => line.includes('video made; delivering it'))).toEqual([]);
		expect(replacement.lines.filter((line) => line.includes('job delivered'))).toHaveLength(1);
		expect(modelverse.submissions).toHaveLength(1);
		expect(await creditsOf({ discord })).toEqual({ member: 9, server: 9, memberRunning: 0, serverRunning: 0 });
	});
});
