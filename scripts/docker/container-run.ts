import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildah, spawnBuildah } from './buildah-cli.js';
import { descendantsOf, type HostProcess } from './process-tree.js';

export interface ImageConfig {
	entrypoint: string[];
	cmd: string[];
	/** The HEALTHCHECK's command, without Docker's leading "CMD". */
	healthcheck: string[];
}

interface DockerConfigJson {
	Entrypoint?: string[] | null;
	Cmd?: string[] | null;
	Healthcheck?: { Test?: string[] } | null;
}

/** Read from the built image, so what runs is exactly what Docker would run. */
export async function readImageConfig(image: string): Promise<ImageConfig> {
	const inspected = JSON.parse(await buildah(['inspect', '--type', 'image', image])) as {
		Docker: { config: DockerConfigJson };
	};
	const config = inspected.Docker.config;
	const [form, ...healthcheck] = config.Healthcheck?.Test ?? [];
	if (form !== 'CMD') throw new Error(`the image's HEALTHCHECK is ${form ?? 'missing'}, expected the exec (CMD) form`);
	return { entrypoint: config.Entrypoint ?? [], cmd: config.Cmd ?? [], healthcheck };
}

export interface ContainerRunOptions {
	image: string;
	name: string;
	config: ImageConfig;
	env: Record<string, string>;
	volume: { hostPath: string; containerPath: string };
}

/**
 * One `docker run` of the image, done with buildah: a fresh working container, the image's entrypoint and command,
 * a bind-mounted volume. Chroot isolation shares the host's network, so 127.0.0.1 is the host's.
 */
export class ContainerRun {
	readonly output: string[] = [];
	readonly #exited: Promise<number | null>;

	private constructor(
		readonly name: string,
		private readonly child: ChildProcess,
	) {
		for (const stream of [child.stdout, child.stderr]) {
			stream?.setEncoding('utf8');
			let partial = '';
			stream?.on('data', (chunk: string) => {
				const lines = (partial + chunk).split('\n');
				partial = lines.pop() ?? '';
				this.output.push(...lines.filter(Boolean));
			});
		}
		this.#exited = once(child, 'exit').then(([code]) => code as number | null);
	}

	static async start({ image, name, config, env, volume }: ContainerRunOptions): Promise<ContainerRun> {
		await buildah(['rm', name]).catch(() => undefined);
		await buildah(['from', '--pull=never', '--name', name, image]);
		// Set on the container, as `docker run --env` does, so the health check command sees the same settings.
		const envFlags = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
		await buildah(['config', ...envFlags, name]);
		// The image's VOLUME would otherwise shadow the bind mount, where Docker lets a named volume replace it.
		await buildah(['config', '--volume', `${volume.containerPath}-`, name]);
		const child = spawnBuildah([
			'run',
			'--isolation',
			'chroot',
			'--volume',
			`${volume.hostPath}:${volume.containerPath}`,
			name,
			'--',
			...config.entrypoint,
			...config.cmd,
		]);
		return new ContainerRun(name, child);
	}

	/** The container's processes as the host sees them; buildah's own helpers (re-run from a memfd) are left out. */
	processes(): HostProcess[] {
		return descendantsOf(this.child.pid ?? -1).filter((process) => !process.command.includes('buildah'));
	}

	async waitForLog(description: string, matches: (line: string) => boolean, timeoutMs: number): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let exited = false;
		void this.#exited.then(() => {
			exited = true;
		});
		while (Date.now() < deadline) {
			const line = this.output.find(matches);
			if (line) return line;
			if (exited) throw new Error(`the container exited before it logged ${description}`);
			await sleep(100);
		}
		throw new Error(`the container did not log ${description} within ${timeoutMs / 1000} s`);
	}

	/** Like `docker exec`: another process in the same container, as the image's user. */
	async exec(command: string[]): Promise<number> {
		const child = spawnBuildah(['run', '--isolation', 'chroot', this.name, '--', ...command]);
		child.stdout?.resume();
		child.stderr?.resume();
		const [code] = await once(child, 'exit');
		return code as number;
	}

	/** Like `docker stop`: SIGTERM to the container's first process, then the time until everything exited. */
	async stop(timeoutMs: number): Promise<{ exitCode: number | null; seconds: number }> {
		const init = this.processes()[0];
		if (!init) throw new Error('the container has no running process to stop');
		const startedAt = performance.now();
		process.kill(init.pid, 'SIGTERM');
		const timeout = sleep(timeoutMs, 'timeout' as const);
		const outcome = await Promise.race([this.#exited, timeout]);
		if (outcome === 'timeout') {
			this.kill();
			throw new Error(`the container did not stop within ${timeoutMs / 1000} s of SIGTERM`);
		}
		return { exitCode: outcome, seconds: (performance.now() - startedAt) / 1000 };
	}

	kill(): void {
		for (const { pid } of this.processes()) process.kill(pid, 'SIGKILL');
	}

	async remove(): Promise<void> {
		await buildah(['rm', this.name]).catch(() => undefined);
	}
}
