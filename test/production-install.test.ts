import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../standins/discord/index.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';

const execFileAsync = promisify(execFile);

/** tsc and npm say what went wrong on stdout as well as stderr. */
async function run(command: string, args: string[], options: { cwd: string }): Promise<void> {
	await execFileAsync(command, args, options).catch((error: Error & { stdout?: string; stderr?: string }) => {
		throw new Error(`${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
	});
}
const projectRoot = resolve(import.meta.dirname, '..');
const SQLITE_BINARY = 'node_modules/sqlite3/build/Release/node_sqlite3.node';
const MODELVERSE_KEY = 'mv-production-install-key-3d8e';

interface LockedPackage {
	dev?: boolean;
	hasInstallScript?: boolean;
}

function productionPackagesWithInstallScripts(): string[] {
	const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as {
		packages: Record<string, LockedPackage>;
	};
	return Object.entries(lock.packages)
		.filter(([path, entry]) => path !== '' && !entry.dev && entry.hasInstallScript)
		.map(([path]) => path);
}

/** A node_modules above the copy would let a missing dependency resolve from somewhere else. */
function nodeModulesAbove(directory: string): string | undefined {
	for (let current = dirname(directory); current !== dirname(current); current = dirname(current)) {
		if (existsSync(join(current, 'node_modules'))) return join(current, 'node_modules');
	}
	return undefined;
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolveClose) => server.close(resolveClose));
	return port;
}

describe('a production install (npm ci --omit=dev) of the compiled bot', { timeout: 180_000 }, () => {
	let copy: string;
	let discord: DiscordStandIn;
	let modelverse: ModelverseStandIn;

	beforeAll(async () => {
		copy = mkdtempSync(join(tmpdir(), 'pixverse-production-'));
		expect(nodeModulesAbove(copy)).toBeUndefined();
		for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(projectRoot, file), join(copy, file));
		// Install scripts are skipped so sqlite3 is not compiled again (a minute or more); its N-API binary from the
		// project's own install works on any Node. The only other script, msgpackr-extract's (under bullmq), only looks
		// for the binary its prebuilt package ships, and `allowScripts` never runs it.
		expect(productionPackagesWithInstallScripts()).toEqual(['node_modules/msgpackr-extract', 'node_modules/sqlite3']);
		await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
			cwd: copy,
		});
		mkdirSync(dirname(join(copy, SQLITE_BINARY)), { recursive: true });
		copyFileSync(join(projectRoot, SQLITE_BINARY), join(copy, SQLITE_BINARY));
		await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', join(copy, 'dist')], { cwd: projectRoot });

		discord = await startDiscordStandIn();
		modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY });
	}, 180_000);

	afterAll(async () => {
		await Promise.all([discord?.close(), modelverse?.close()]);
		if (copy) rmSync(copy, { recursive: true, force: true });
	});

	it('has no dev dependency installed, starts with node dist/src/index.js, is ready, and stops cleanly', async () => {
		expect(existsSync(join(copy, 'node_modules/typescript'))).toBe(false);
		expect(existsSync(join(copy, 'node_modules/vitest'))).toBe(false);

		const healthPort = await freePort();
		const bot = spawn(process.execPath, ['dist/src/index.js'], {
			cwd: copy,
			env: {
				PATH: process.env.PATH,
				NODE_ENV: 'production',
				DISCORD_TOKEN: discord.botToken,
				DISCORD_API_URL: discord.apiUrl,
				MODELVERSE_API_KEY: MODELVERSE_KEY,
				MODELVERSE_BASE_URL: modelverse.baseUrl,
				DATABASE_URL: `sqlite://${join(copy, 'data/bot.sqlite')}`,
				HEALTH_PORT: String(healthPort),
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		bot.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		bot.stderr.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		const exited = new Promise<number | null>((resolveExit) => bot.on('exit', (code) => resolveExit(code)));

		await discord
			.waitFor(() => output.includes('"msg":"bot ready"'), 30_000)
			.catch((error: Error) => {
				bot.kill('SIGKILL');
				throw new Error(`${error.message}\nbot output:\n${output}`);
			});
		const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
		expect(health.status).toBe(200);
		expect(await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text()).toContain('pixverse_bot_open_jobs');
		bot.kill('SIGTERM');

		expect(await exited).toBe(0);
		expect(discord.registeredCommands().map((command) => command.name)).toEqual(
			expect.arrayContaining(['quota', 'video']),
		);
	});
});
