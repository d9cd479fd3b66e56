import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

export interface BotProcess {
	child: ChildProcess;
	/** Every line the bot wrote, stdout and stderr. */
	lines: string[];
	waitForLine(text: string, timeoutMs?: number): Promise<string>;
	/** Resolves with how the process ended, on its own. */
	ended(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Sends the signal and resolves with how the process ended. */
	stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The bot as production runs it: its own process, started by `src/index.ts` with nothing but environment.
 * `preload` names modules Node imports before the bot, in order (as `--import` does).
 */
export function spawnBot(env: Record<string, string>, preload: string[] = []): BotProcess {
	const imports = ['tsx', ...preload].flatMap((module) => ['--import', module]);
	const child = spawn(process.execPath, [...imports, entry], {
		env: { PATH: process.env.PATH ?? '', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const lines: string[] = [];
	const waiters = new Set<() => void>();
	for (const stream of [child.stdout, child.stderr]) {
		createInterface({ input: stream }).on('line', (line) => {
			lines.push(line);
			for (const wake of waiters) wake();
		});
	}
	const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
	const ended = async () => {
		const [code, signal] = await exited;
		return { code, signal };
	};
	return {
		child,
		lines,
		waitForLine(text, timeoutMs = 20_000) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const found = lines.find((line) => line.includes(text));
					if (!found) return;
					clearTimeout(timer);
					waiters.delete(check);
					resolve(found);
				};
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`the bot never logged "${text}"; its last lines:\n${lines.slice(-15).join('\n')}`));
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		},
		ended,
		stop(signal) {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			return ended();
		},
	};
}
