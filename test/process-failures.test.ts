import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { MODELVERSE_TEST_KEY } from '../standins/harness.js';
import type { BotProcess } from './support/bot-process.js';
import { type ProcessStandIns, startProcessStandIns } from './support/process-stand-ins.js';

const rejectOnSignal = fileURLToPath(new URL('./support/reject-on-signal.ts', import.meta.url));

let world: ProcessStandIns;

afterEach(async () => {
	await world.close();
});

/** Every line the bot wrote is a JSON log line: no stack trace printed by Node for an error nobody handled. */
function logLines(bot: BotProcess): Array<Record<string, unknown>> {
	return bot.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

// Tests run as root, whom file modes do not stop: these paths fail for every user.
it.each([
	{
		place: 'under a path whose parent is a regular file',
		databasePath: (dataDir: string) => {
			writeFileSync(join(dataDir, 'not-a-directory'), '');
			return join(dataDir, 'not-a-directory', 'bot.sqlite');
		},
	},
	{
		place: 'where a directory stands in place of the file',
		databasePath: (dataDir: string) => {
			mkdirSync(join(dataDir, 'bot.sqlite'));
			return join(dataDir, 'bot.sqlite');
		},
	},
])(
	'a database that cannot be opened ($place) ends the start with one fatal line naming the path and the fix, and exit code 1',
	async ({ databasePath }) => {
		world = await startProcessStandIns();
		const path = databasePath(world.dataDir);

		const bot = world.spawn({ DATABASE_URL: `sqlite://${path}` });
		expect(await bot.ended()).toMatchObject({ code: 1 });

		const lines = logLines(bot);
		expect(lines.filter((line) => line.level === 60)).toEqual([
			{
				level: 60,
				time: expect.any(Number),
				msg: 'the database cannot be opened; the bot stops',
				path,
				fix: expect.stringContaining('uid 1000'),
				cause: expect.any(String),
			},
		]);
		expect(lines.some((line) => line.msg === 'bot ready')).toBe(false);
	},
);

it('an error nobody handled is logged as one fatal line with secrets masked, and the process exits 1', async () => {
	world = await startProcessStandIns();
	const bot = world.spawn({}, [rejectOnSignal]);
	await bot.waitForLine('bot ready');

	bot.child.kill('SIGUSR2');
	expect(await bot.ended()).toMatchObject({ code: 1 });

	const fatal = logLines(bot).filter((line) => line.level === 60);
	expect(fatal).toEqual([
		expect.objectContaining({
			msg: 'unhandled rejection; the bot stops',
			err: expect.objectContaining({ message: 'a stray failure quoting [redacted]' }),
		}),
	]);
	expect(bot.lines.join('\n')).not.toContain(MODELVERSE_TEST_KEY);
});
