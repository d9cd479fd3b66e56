import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The same store as scripts/docker/buildah.sh, so the images that script built are found here. */
function globalOptions(): string[] {
	const root = process.env.BUILDAH_ROOT ?? '/var/lib/pixverse-bot-buildah';
	return ['--root', `${root}/storage`, '--runroot', `${root}/run`, '--storage-driver', 'vfs'];
}

export async function buildah(args: string[]): Promise<string> {
	const { stdout } = await execFileAsync('buildah', [...globalOptions(), ...args], { maxBuffer: 16 * 1024 * 1024 });
	return stdout.trim();
}

export function spawnBuildah(args: string[]): ChildProcess {
	return spawn('buildah', [...globalOptions(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}
