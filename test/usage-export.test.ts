import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import type { InteractionHandle } from '../standins/discord/index.js';
import { type Harness, startHarness } from '../standins/harness.js';
import { jobEnded, MEMBER, privateAnswer, someMember } from '../standins/journeys.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../scripts/usage.ts', import.meta.url));

const HOME = { id: '370000000000000001', name: 'Home', channels: [{ id: '370000000000000011' }] };
const AWAY = { id: '370000000000000002', name: 'Away', channels: [{ id: '370000000000000012' }] };
const ADMIN = { id: '370000000000000099', username: 'ada' };

let harness: Harness;
let dataDir: string;

afterEach(async () => {
	await harness.closeChecked();
	rmSync(dataDir, { recursive: true, force: true });
});

async function usage(databaseUrl: string, ...args: string[]): Promise<string> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', script, ...args], {
		env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
	});
	return stdout;
}

/** The two tables of the CSV export, as objects keyed by their header. */
function parseCsv(csv: string): { tasks: Array<Record<string, string>>; totals: Array<Record<string, string>> } {
	const [tasks = '', totals = ''] = csv.trimEnd().split('\n\n');
	const table = (text: string) => {
		const [header = '', ...lines] = text.split('\n');
		const columns = header.split(',');
		return lines.map((line) => Object.fromEntries(line.split(',').map((cell, index) => [columns[index], cell])));
	};
	return { tasks: table(tasks), totals: table(totals) };
}

it('the month’s export lists every submit with its outcome and adds up, per server, to what /quota show counts', async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'pixverse-usage-'));
	const databaseUrl = `sqlite://${join(dataDir, 'bot.sqlite')}`;
	harness = await startHarness({
		env: { DATABASE_URL: databaseUrl },
		discord: { guilds: [HOME, AWAY] },
		modelverse: { hold: true },
	});
	const month = new Date().toISOString().slice(0, 7);
	const video = (guildId: string, resolution: string, duration: number, user = MEMBER): InteractionHandle =>
		harness.discord.runCommand({
			name: 'video',
			subcommand: 'text',
			options: { prompt: 'a fox in the snow', resolution, duration },
			user,
			guildId,
		});
	const finish = async (handle: InteractionHandle, outcome: 'Success' | 'Failure') => {
		const earlier = harness.modelverse.submissions.length;
		const submitted = await harness.discord.waitFor(() => harness.modelverse.submissions[earlier]);
		harness.modelverse.complete(submitted.taskId, outcome, 'content moderation');
		return jobEnded(harness, handle);
	};

	expect(await finish(video(HOME.id, '360p', 5), 'Success')).toContain('Your video:');
	expect(await finish(video(HOME.id, '540p', 5, someMember(1)), 'Failure')).toContain('content moderation');
	harness.modelverse.injectFault('submit', {
		status: 400,
		body: { error: { message: 'prompt rejected', type: 'invalid_request_error', param: null, code: 'bad' } },
	});
	expect(await jobEnded(harness, video(HOME.id, '720p', 5))).toContain('prompt rejected');
	harness.modelverse.injectFault('submit', { status: 500 });
	expect(await jobEnded(harness, video(HOME.id, '360p', 4))).toContain('did not confirm this job');
	expect(await finish(video(AWAY.id, '360p', 3), 'Success')).toContain('Your video:');

	const showIn = (guildId: string) =>
		privateAnswer(
			harness,
			harness.discord.runCommand({ name: 'quota', subcommand: 'show', user: ADMIN, memberPermissions: '32', guildId }),
		);
	const shown = { home: await showIn(HOME.id), away: await showIn(AWAY.id) };
	const used = (text: string) => Number(/This month\n(\d+) of /.exec(text)?.[1]);
	const unknown = (text: string) => Number(/Unknown outcome\n(\d+) credits/.exec(text)?.[1] ?? 0);
	const capUsed = (text: string) => Number(/(\d+) of \d+ used this month/.exec(text)?.[1]);

	const csv = parseCsv(await usage(databaseUrl, '--month', month));
	const json = JSON.parse(await usage(databaseUrl, '--month', month, '--format', 'json')) as {
		tasks: Array<Record<string, unknown>>;
		totals: Array<Record<string, unknown>>;
	};
	expect(json.tasks.map((task) => task.outcome)).toEqual(csv.tasks.map((task) => task.outcome));
	expect(csv.tasks.map(({ guild_id, outcome, credits }) => ({ guild_id, outcome, credits }))).toEqual([
		{ guild_id: HOME.id, outcome: 'succeeded', credits: '5' },
		{ guild_id: HOME.id, outcome: 'failed', credits: '7' },
		{ guild_id: HOME.id, outcome: 'refused', credits: '9' },
		{ guild_id: HOME.id, outcome: 'unknown', credits: '4' },
		{ guild_id: AWAY.id, outcome: 'succeeded', credits: '3' },
	]);
	const made = harness.modelverse.submissions;
	expect(
		csv.tasks.filter((task) => task.task_id !== '').map(({ task_id, request_id }) => ({ task_id, request_id })),
	).toEqual(made.map(({ taskId, requestId }) => ({ task_id: taskId, request_id: requestId })));

	for (const [guild, text] of [
		[HOME.id, shown.home],
		[AWAY.id, shown.away],
	] as const) {
		const fromCsv = csv.totals.find((totals) => totals.guild_id === guild);
		const fromJson = json.totals.find((totals) => totals.guild_id === guild);
		expect(Number(fromCsv?.credits_succeeded)).toBe(used(text));
		expect(Number(fromCsv?.credits_unknown)).toBe(unknown(text));
		expect(Number(fromCsv?.credits_succeeded) + Number(fromCsv?.credits_unknown)).toBe(capUsed(text));
		expect(fromJson).toEqual(
			Object.fromEntries(
				Object.entries(fromCsv ?? {}).map(([key, value]) => [key, key === 'guild_id' ? value : Number(value)]),
			),
		);
	}
	expect(csv.totals.find((totals) => totals.guild_id === HOME.id)).toMatchObject({
		tasks: '4',
		credits_failed: '7',
		credits_refused: '9',
		credits_open: '0',
	});

	const away = parseCsv(await usage(databaseUrl, '--month', month, '--guild', AWAY.id));
	expect(away.tasks.map((task) => task.guild_id)).toEqual([AWAY.id]);
	expect(away.totals.map((totals) => totals.guild_id)).toEqual([AWAY.id]);
	await expect(usage(databaseUrl, '--month', 'November')).rejects.toMatchObject({
		stderr: expect.stringContaining('--month must be YYYY-MM'),
	});
	// Each run of the script starts its own Node with TypeScript compiled on the fly: seconds each on a busy machine.
}, 120_000);
