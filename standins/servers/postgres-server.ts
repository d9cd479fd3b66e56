import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const USER = 'bot';

export interface PostgresServer {
	/** A new, empty database owned by the bot's user, as `postgres://user:password@127.0.0.1:port/name`. */
	createDatabase(name: string): Promise<string>;
	/** The bot user's password, for tests that must show it never reaches a message. */
	password: string;
	port: number;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (address === null || typeof address === 'string') throw new Error('no TCP port to be had on 127.0.0.1');
	return address.port;
}

async function postgresUid(): Promise<number | undefined> {
	if (process.getuid?.() !== 0) return undefined;
	const { stdout } = await run('id', ['-u', 'postgres']);
	return Number(stdout.trim());
}

/** Debian's postgresql-15 keeps its server programs off PATH, in its own directory. */
const DEBIAN_BIN = '/usr/lib/postgresql/15/bin';

async function findBinary(name: string): Promise<string> {
	const onPath = await run('sh', ['-c', `command -v ${name}`]).then(
		({ stdout }) => stdout.trim(),
		() => undefined,
	);
	if (onPath) return onPath;
	if (existsSync(join(DEBIAN_BIN, name))) return join(DEBIAN_BIN, name);
	throw new Error(`${name} is not on PATH nor in ${DEBIAN_BIN}: install postgresql-15 (apt-get install postgresql-15)`);
}

/**
 * A throwaway PostgreSQL 15 on 127.0.0.1, its data in a temporary directory removed at `stop`. initdb refuses to run
 * as root, so as root the server runs as the `postgres` user. Its superuser is reached through the Unix socket in the
 * same directory only; the bot's user logs in over TCP with a password, as in production.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
	const initdb = await findBinary('initdb');
	const pgCtl = await findBinary('pg_ctl');
	const uid = await postgresUid();
	const asServer = (command: string, args: string[]) =>
		uid === undefined ? run(command, args) : run('runuser', ['-u', 'postgres', '--', command, ...args]);
	const root = mkdtempSync(join(tmpdir(), 'pixverse-postgres-'));
	const data = join(root, 'data');
	mkdirSync(data);
	if (uid !== undefined) {
		chownSync(root, uid, -1);
		chownSync(data, uid, -1);
	}
	const port = await freePort();
	const password = randomBytes(12).toString('hex');
	try {
		await asServer(initdb, ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256']);
		await asServer(pgCtl, [
			'-D',
			data,
			'-l',
			join(root, 'server.log'),
			'-w',
			'-o',
			`-k ${root} -h 127.0.0.1 -p ${port} -c fsync=off`,
			'start',
		]);
	} catch (error) {
		rmSync(root, { recursive: true, force: true });
		throw error;
	}
	const admin = new pg.Pool({ host: root, port, user: 'postgres', database: 'postgres', max: 1 });
	// The server's shutdown ends the idle admin connection with 57P01 (admin_shutdown), which is the point of stopping it.
	admin.on('error', () => undefined);
	await admin.query(`CREATE ROLE ${USER} LOGIN PASSWORD '${password}'`);
	return {
		password,
		port,
		async createDatabase(name) {
			await admin.query(`CREATE DATABASE ${name} OWNER ${USER}`);
			return `postgres://${USER}:${password}@127.0.0.1:${port}/${name}`;
		},
		async stop() {
			await admin.end();
			await asServer(pgCtl, ['-D', data, 'stop', '-m', 'fast']);
			rmSync(root, { recursive: true, force: true });
		},
	};
}
