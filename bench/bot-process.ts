import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { compiledEntry } from './compile.js';
import { imageAllocatorSettings } from './image-allocator.js';

const running = new Set<ChildProcess>();
// A benchmark that fails half-way must not leave its bots behind.
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

export interface ResourceUsage {
	maxRssKb: number;
	/** Resident now, as opposed to the peak so far. */
	rssKb: number;
	cpuMicros: number;
}

/** The real bot, compiled, in a process of its own, so its memory and CPU are measured apart from the stand-ins'. */
export class BotProcess {
	readonly startedAt = Date.now();
	/** The tasks this process sent: the jobs it followed, as each process follows the jobs it sends. */
	readonly submittedTaskIds = new Set<string>();
	readonly #child: ChildProcess;
	readonly #errors: string[] = [];
	readonly #lines: ReturnType<typeof createInterface>;
	readonly #ready: Promise<void>;

	/** `entry`: the compiled bot to run; the working tree's unless a scenario compares with an older one. */
	constructor(env: Record<string, string>, entry = compiledEntry) {
		// The garbage collector is exposed only for the bench's question about resting memory.
		this.#child = spawn(process.execPath, ['--expose-gc', entry], {
			env: { PATH: process.env.PATH ?? '', ...imageAllocatorSettings(), ...env },
			stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		});
		running.add(this.#child);
		this.#child.once('exit', () => running.delete(this.#child));
		let markReady: () => void = () => undefined;
		let fail: (error: Error) => void = () => undefined;
		this.#ready = new Promise<void>((resolve, reject) => {
			markReady = resolve;
			fail = reject;
		});
		const lines = createInterface({ input: this.#child.stdout as NodeJS.ReadableStream });
		this.#lines = lines;
		lines.on('line', (line) => {
			if (line.includes('"bot ready"')) markReady();
			const submitted = line.includes('"task submitted"') && /"taskId":"([^"]+)"/.exec(line)?.[1];
			if (submitted) this.submittedTaskIds.add(submitted);
			if (/"level":(50|60)/.test(line)) this.#errors.push(line);
		});
		createInterface({ input: this.#child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
			this.#errors.push(line),
		);
		this.#child.once('exit', (code) =>
			fail(new Error(`the bot exited (${code}) before it was ready:\n${this.errors}`)),
		);
	}

	/** When the bot first logs a line containing `text`, e.g. a message of its own, from now on. */
	whenLogged(text: string): Promise<number> {
		return new Promise((resolve) => {
			const listener = (line: string) => {
				if (!line.includes(text)) return;
				this.#lines.off('line', listener);
				resolve(Date.now());
			};
			this.#lines.on('line', listener);
		});
	}

	get errors(): string {
		return this.#errors.slice(-10).join('\n');
	}

	get errorCount(): number {
		return this.#errors.length;
	}

	ready(timeoutMs = 60_000): Promise<void> {
		return Promise.race([
			this.#ready,
			new Promise<void>((_, reject) =>
				setTimeout(
					() => reject(new Error(`the bot was not ready in ${timeoutMs} ms:\n${this.errors}`)),
					timeoutMs,
				).unref(),
			),
		]);
	}

	/** `resting`: after a full garbage collection, so that `rssKb` is what the bot holds, not what it has yet to free. */
	async resourceUsage({ resting = false } = {}): Promise<ResourceUsage> {
		const answer = once(this.#child, 'message') as Promise<[ResourceUsage]>;
		this.#child.send(resting ? 'resting-resource-usage' : 'resource-usage');
		const [usage] = await answer;
		return usage;
	}

	/** SIGKILL: the process dies on the spot, as on a lost machine, leaving its open jobs to its siblings. */
	async kill(): Promise<void> {
		if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
		const exited = once(this.#child, 'exit');
		this.#child.kill('SIGKILL');
		await exited;
	}

	/** SIGTERM: the bot drains and exits on its own, as on a redeploy. */
	async stop(): Promise<void> {
		if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
		const exited = once(this.#child, 'exit');
		this.#child.kill('SIGTERM');
		await exited;
	}
}
