import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/store.js';
import {
	charged,
	creditsOf,
	jobEnded,
	logEntries,
	runVideo,
	visibleText,
	waitForProgressText,
} from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';
import { StoreWriteFaults } from './support/store-write-faults.js';

describe('a step cut off halfway is finished at the next start, never repeated', () => {
	let world: ProcessStandIns | undefined;

	afterEach(async () => {
		await world?.close();
		world = undefined;
	});

	it('a job that ended as failed just before its credits went back gets them back, and the member is told, at the next start', async () => {
		const writes = new StoreWriteFaults();
		const started = await startHarnessForTest({
			modelverse: { hold: true },
			openStore: (databaseUrl) => writes.around(openStore(databaseUrl)),
		});
		const command = runVideo(started, 'text', { prompt: 'a paper lantern' });
		await waitForProgressText(started, command, 'Queued');
		// The job's end is stored; then the database turns read-only as the credits are returned.
		writes.refuseWritesFrom((key) => key.endsWith(`${started.discord.guildId}:credits`));
		started.modelverse.complete(started.modelverse.submissions[0]?.taskId ?? '', 'Failure', 'The render crashed.');
		await started.discord.waitFor(() => logEntries(started, { msg: /poll failed/ }).length > 0, 10_000);
		expect(await creditsOf(started)).toMatchObject({ member: 9, memberRunning: 1 });

		writes.heal();
		await started.restart();

		expect(await creditsOf(started)).toEqual(charged(0));
		expect(await jobEnded(started, command)).toContain('The video could not be made: The render crashed.');
		expect(logEntries(started, { msg: /returned the credits of a job that ended just before a stop/ })).toEqual([
			expect.objectContaining({ guildId: started.discord.guildId, state: 'failed', credits: 9 }),
		]);
	});

	it('a retried submit (after a 429) cut off by a kill is not sent again: the member is told and the credits return', async () => {
		world = await startProcessStandIns({ modelverse: { hold: true } });
		const { discord, modelverse: provider } = world;
		const submitsReceived = () => provider.received.filter((request) => request.route === 'submit').length;
		const first = await world.start();
		provider.injectFault('submit', { status: 429 });
		provider.injectFault('submit', { delayMs: 4_000 });

		const command = runVideo(world, 'text', { prompt: 'a crowded harbour' });
		await discord.waitFor(() => submitsReceived() === 2, 10_000);
		await first.stop('SIGKILL');
		const bot = await world.start();

		await discord.waitFor(() => visibleText(command.original()).includes('did not confirm'), 10_000);
		await bot.waitForLine('may have been billed');
		// The provider made the task after its delay, as a real one may: the bot must not have made a second.
		await discord.waitFor(() => provider.submissions.length > 0, 10_000);
		expect(provider.submissions).toHaveLength(1);
		expect(submitsReceived()).toBe(2);
		expect(await creditsOf(world)).toEqual(charged(0));
	});
});
