import { afterEach, describe, expect, it } from 'vitest';
import {
	channelMessageShowing,
	charged,
	creditsOf,
	jobsOf,
	MEMBER,
	postedVideos,
	privateAnswer,
	runVideo,
	someMember,
	usageOf,
	visibleText,
	waitForProgressText,
} from '../standins/journeys.js';
import type { BotProcess } from './support/bot-process.js';
import { startHarnessForTest } from './support/harness-per-test.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';
import { RawStore } from './support/raw-store.js';
import { loadStoreFixture, readStoreFixture } from './support/store-fixture.js';

const GENERIC_ERROR = 'Something went wrong on our side. Please try again in a moment.';

const logged = (bot: BotProcess) => bot.lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('records the bot reads back from its store', () => {
	let world: ProcessStandIns | undefined;
	let raw: RawStore | undefined;

	afterEach(async () => {
		await raw?.close();
		await world?.close();
		[world, raw] = [undefined, undefined];
	});

	it('a store written before records carried a version opens, resumes its open job to delivery, and shows the old jobs and credits', async () => {
		world = await startProcessStandIns({
			modelverse: { hold: true },
			discord: {
				applicationId: '330000000000000001',
				guilds: [{ id: '330000000000000010', channels: [{ id: '330000000000000020', name: 'general' }] }],
			},
		});
		const fixture = readStoreFixture('store-before-versions.json');
		await loadStoreFixture(fixture, world.env.DATABASE_URL ?? '');
		world.modelverse.restoreTask(fixture.openTaskId, {
			model: 'pixverse-v6',
			input: { prompt: 'lanterns drifting over a river at dusk' },
			parameters: { resolution: '540p', aspect_ratio: '16:9', duration: 4, generate_audio: 0, seed: 7 },
		});

		const bot = await world.start();

		expect(logged(bot).find((line) => line.msg === 'bot ready')).toMatchObject({ resumed: 1, strayCredits: 0 });
		expect(logged(bot).filter((line) => Number(line.level) >= 50)).toEqual([]);
		const jobs = await jobsOf(world);
		expect(jobs).toMatch(/(queued|rendering) · text to video · .* · lanterns drifting over a river at dusk/);
		expect(jobs).toMatch(/done · text to video · .* · a paper boat on a pond · \[result\]/);
		expect(await creditsOf(world)).toEqual({ member: 15, server: 15, memberRunning: 1, serverRunning: 1 });
		expect(await usageOf(world)).toMatch(/15 of 100/);

		world.modelverse.complete(fixture.openTaskId, 'Success');
		await channelMessageShowing(world, ['lanterns drifting over a river at dusk', 'Done']);
		expect(postedVideos(world).filter((message) => visibleText(message).includes('lanterns'))).toHaveLength(1);
		expect(world.modelverse.submissions).toEqual([]);
		expect(await creditsOf(world)).toEqual(charged(15));
	});

	it('a job record that is not JSON and an open-jobs index that is not a list are set aside and logged, render times that are not numbers count as none; the other job resumes and the credits are settled', async () => {
		world = await startProcessStandIns({ modelverse: { hold: true } });
		const first = await world.start();
		const kept = runVideo(world, 'text', { prompt: 'a kite above the cliffs' });
		const spoiled = runVideo(world, 'text', { prompt: 'a tram in the fog' });
		await waitForProgressText(world, kept, 'Queued');
		await waitForProgressText(world, spoiled, 'Queued');
		expect(await first.stop('SIGTERM')).toMatchObject({ code: 0 });

		raw = new RawStore(world.env.DATABASE_URL ?? '');
		const jobRows = (await raw.rows()).filter((row) => /^job:[^:]+$/.test(row.key));
		const spoiledKey = jobRows.find((row) => row.value.includes('a tram in the fog'))?.key ?? '';
		await raw.write(spoiledKey, '{"value":{"id":"half-written');
		await raw.write('jobs:open', '{"value":"garbage"}');
		await raw.write('estimates:720p:5s', '{"value":"slow"}');

		const bot = await world.start();

		const errors = logged(bot).filter((line) => line.level === 50);
		expect(errors).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					msg: 'unreadable job record set aside; the other jobs carry on',
					key: spoiledKey,
					quarantineKey: `quarantine:${spoiledKey}`,
				}),
				expect.objectContaining({
					msg: 'unreadable job index set aside and emptied',
					quarantineKey: 'quarantine:jobs:open',
				}),
			]),
		);
		expect(await raw.value(`quarantine:${spoiledKey}`)).toMatchObject({ value: '{"value":{"id":"half-written' });
		expect(await raw.value('quarantine:jobs:open')).toMatchObject({ value: 'garbage' });
		expect(await raw.value(spoiledKey)).toBeUndefined();

		const keptTask = world.modelverse.submissions.find((task) => task.body.input.prompt === 'a kite above the cliffs');
		world.modelverse.complete(keptTask?.taskId ?? '', 'Success');
		await channelMessageShowing(world, ['a kite above the cliffs', 'Done']);
		expect(world.modelverse.submissions).toHaveLength(2);
		expect(await creditsOf(world)).toEqual(charged(9));
		expect(logged(bot).filter((line) => line.msg === 'poll failed; trying again later')).toEqual([]);
	});

	it('a quota ledger that cannot be read refuses to spend in that server instead of reading as nothing used, and is kept for the operator', async () => {
		const harness = await startHarnessForTest();
		raw = new RawStore(harness.databaseUrl);
		await raw.write(`guild:${harness.discord.guildId}:credits`, '{"value":{"held":{},"periods":"all spent"}}');

		const refused = runVideo(harness, 'text', { prompt: 'a boat at dawn' }, { user: someMember(1) });
		expect(await privateAnswer(harness, refused)).toBe(GENERIC_ERROR);
		expect(await usageOf(harness, MEMBER)).toBe(GENERIC_ERROR);

		expect(harness.modelverse.received).toEqual([expect.objectContaining({ route: 'status' })]);
		expect(await raw.value(`quarantine:guild:${harness.discord.guildId}:credits`)).toMatchObject({
			value: { held: {}, periods: 'all spent' },
			problem: expect.stringContaining('periods'),
		});
		expect(await raw.value(`guild:${harness.discord.guildId}:credits`)).toMatchObject({ periods: 'all spent' });
		expect(
			harness.logs.entries().filter((entry) => entry.level === 50 && String(entry.msg) === 'command failed'),
		).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					err: expect.objectContaining({
						message: expect.stringContaining(`quarantine:guild:${harness.discord.guildId}:credits`),
					}),
				}),
			]),
		);
	});

	it('the database runs in WAL mode', async () => {
		const harness = await startHarnessForTest();
		raw = new RawStore(harness.databaseUrl);

		expect(await raw.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
	});
});
