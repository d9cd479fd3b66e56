import { afterEach, expect, it } from 'vitest';
import { type Harness, startHarness } from '../standins/harness.js';
import { MEMBER } from '../standins/journeys.js';

let harness: Harness;

afterEach(async () => {
	await harness.close();
});

it('credits held for a job that was never stored (the store failed mid-accept) are returned at the next start', async () => {
	harness = await startHarness();
	const guildId = harness.discord.guildId;
	await harness.bot.quotas.reserve({ guildId, userId: MEMBER.id, jobId: 'never-stored-job-1', cost: 9 });
	expect((await harness.bot.quotas.usage({ guildId, userId: MEMBER.id })).member.used).toBe(9);

	await harness.restart();

	const usage = await harness.bot.quotas.usage({ guildId, userId: MEMBER.id });
	expect(usage.member.used).toBe(0);
	expect(usage.memberRunning.count).toBe(0);
	expect(harness.logs.text).toContain('returned credits of a job never stored');
});
