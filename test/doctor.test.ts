import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../src/doctor/run-doctor.js';
import { type DiscordStandIn, startDiscordStandIn } from '../standins/discord/index.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';

const MODELVERSE_KEY = 'mv-doctor-key-5e2b9a71';

describe('npm run doctor', () => {
	let discord: DiscordStandIn;
	let modelverse: ModelverseStandIn;
	let dataDir: string;

	beforeEach(async () => {
		discord = await startDiscordStandIn({
			guilds: [
				{ id: '320000000000000001', name: 'Film Club' },
				{ id: '320000000000000002', name: 'Art Lab' },
			],
		});
		dataDir = mkdtempSync(join(tmpdir(), 'pixverse-doctor-'));
	});

	afterEach(async () => {
		await Promise.all([discord.close(), modelverse.close()]);
		rmSync(dataDir, { recursive: true, force: true });
	});

	const settings = (overrides: Record<string, string> = {}) => ({
		DISCORD_TOKEN: discord.botToken,
		DISCORD_API_URL: discord.apiUrl,
		MODELVERSE_API_KEY: MODELVERSE_KEY,
		MODELVERSE_BASE_URL: modelverse.baseUrl,
		DATABASE_URL: `sqlite://${join(dataDir, 'bot.sqlite')}`,
		...overrides,
	});

	it('passes when every setting, the token, the key, the store and the servers are right, spending nothing', async () => {
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY });

		const { ok, report } = await runDoctor(settings());

		expect(ok).toBe(true);
		expect(report).toContain(`ok    Discord token: works: bot PixVerse (${discord.botUserId})`);
		expect(report).toContain('ok    Modelverse key: accepted');
		expect(report).toContain('ok    store: wrote, read and deleted a key');
		expect(report).toContain(
			'ok    server "Film Club" (320000000000000001): has View Channel, Send Messages, Attach Files, Embed Links, Read Message History',
		);
		expect(report).toContain('ok    server "Art Lab" (320000000000000002)');
		expect(report).toMatch(/No problems found\.$/);
		expect(modelverse.submissions).toHaveLength(0);
		expect(discord.requests.filter((request) => request.method !== 'GET')).toEqual([]);
	});

	it('fails on a wrong Modelverse key, saying neither Authorization form works', async () => {
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY });
		const wrongKey = 'mv-wrong-key-0000aaaa';

		const { ok, report } = await runDoctor(settings({ MODELVERSE_API_KEY: wrongKey }));

		expect(ok).toBe(false);
		expect(report).toContain('FAIL  Modelverse key: refused by');
		expect(report).toContain('in both forms (raw and bearer): the key itself is wrong');
		expect(report).toMatch(/1 problem found\.$/);
		expect(report).not.toContain(wrongKey);
	});

	it('tells which Authorization form works when the key is sent in the wrong one', async () => {
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY, authScheme: 'bearer' });

		const { ok, report } = await runDoctor(settings({ MODELVERSE_AUTH_SCHEME: 'raw' }));

		expect(ok).toBe(false);
		expect(report).toContain(
			'FAIL  Modelverse key: refused with MODELVERSE_AUTH_SCHEME=raw, but accepted with bearer: set MODELVERSE_AUTH_SCHEME=bearer',
		);
	});

	it('reports a provider that is down as down, not as a wrong key, and says the bot still starts', async () => {
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY });
		modelverse.injectFault('status', { status: 503 });

		const { ok, report } = await runDoctor(settings());

		expect(ok).toBe(false);
		expect(report).toMatch(/FAIL {2}Modelverse key: could not be checked at .*answered 503/);
		expect(report).toContain('the provider may be down or busy: the bot still starts and checks again');
	});

	it('reports a key Modelverse forbids (403) as refused, naming the likely reasons', async () => {
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY });
		modelverse.injectFault('status', { status: 403 });

		const { ok, report } = await runDoctor(settings());

		expect(ok).toBe(false);
		expect(report).toContain(
			'FAIL  Modelverse key: Modelverse refused the API key (403): its spending limit is reached or this address is not allowed',
		);
	});

	it('fails on a wrong Discord token and skips the servers it cannot see', async () => {
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY });
		const wrongToken = 'wrong-bot-token.0123456789abcdef';

		const { ok, report } = await runDoctor(settings({ DISCORD_TOKEN: wrongToken }));

		expect(ok).toBe(false);
		expect(report).toContain('FAIL  Discord token: Discord refused it (401): check DISCORD_TOKEN');
		expect(report).toContain('FAIL  servers: not checked: needs a working Discord token');
		expect(report).toContain('ok    Modelverse key');
		expect(report).not.toContain(wrongToken);
	});

	it('runs as a command that prints the report and exits non-zero, naming every bad setting', async () => {
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY });
		const env = { PATH: process.env.PATH, ...settings({ MODELVERSE_AUTH_SCHEME: 'basic' }) } as NodeJS.ProcessEnv;
		delete env.DISCORD_TOKEN;

		const outcome = await promisify(execFile)('npx', ['tsx', 'src/doctor.ts'], { env }).then(
			() => ({ code: 0, stdout: '' }),
			(error: { code: number; stdout: string }) => error,
		);

		expect(outcome.code).toBe(1);
		expect(outcome.stdout).toContain('FAIL  settings: DISCORD_TOKEN is required;');
		expect(outcome.stdout).toContain('MODELVERSE_AUTH_SCHEME');
		expect(outcome.stdout).not.toContain(MODELVERSE_KEY);
	});
});
