import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const START_TIMEOUT_MS = 10_000;
const MISSING = 'redis-server is not installed: install it with `apt-get install redis-server`';

/** A throwaway Redis on 127.0.0.1 for one test file: nothing saved, its directory removed at `close`. */
export interface RedisServer {
	url: string;
	/** Stops the server (SIGTERM to its pid), as an outage would; `start` brings it back on the same port. */
	stop(): Promise<void>;
	start(): Promise<void>;
	close(): Promise<void>;
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (address === null || typeof address === 'string') throw new Error('no free port');
	return address.port;
}

/** One PING over a raw socket: true once the server answers PONG. */
function answersPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		socket.setTimeout(1_000, () => socket.destroy());
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			resolve(data.toString().startsWith('+PONG'));
			socket.destroy();
		});
		socket.once('close', () => resolve(false));
		socket.once('error', () => resolve(false));
	});
}

function spawnRedis(port: number, dir: string, serverArgs: readonly string[]): Promise<ChildProcess> {
	const child = spawn(
		'redis-server',
		['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', ...serverArgs],
		{ stdio: 'ignore' },
	);
	return new Promise((resolve, reject) => {
		child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new Error(MISSING) : error));
		child.once('spawn', () => resolve(child));
	});
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (!(await answersPing(port))) {
		if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
		if (Date.now() > deadline) throw new Error(`redis-server did not answer PING within ${START_TIMEOUT_MS} ms`);
		await sleep(50);
	}
}

/** `serverArgs`: redis-server options after the defaults, which they override (`--appendonly yes` keeps writes). */
export async function startRedisServer(serverArgs: readonly string[] = []): Promise<RedisServer> {
	const dir = mkdtempSync(join(tmpdir(), 'pixverse-redis-'));
	const port = await freePort();
	let child: ChildProcess | undefined;
	const start = async () => {
		child = await spawnRedis(port, dir, serverArgs);
		await waitForPing(port, child);
	};
	const stop = async () => {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null || running.pid === undefined) return;
		const exited = new Promise((resolve) => running.once('exit', resolve));
		process.kill(running.pid, 'SIGTERM');
		await exited;
	};
	try {
		await start();
	} catch (error) {
		await stop();
		rmSync(dir, { recursive: true, force: true });
		throw error;
	}
	return {
		url: `redis://127.0.0.1:${port}`,
		stop,
		start,
		async close() {
			await stop();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
