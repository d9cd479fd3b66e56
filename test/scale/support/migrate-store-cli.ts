import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../scripts/migrate-store.ts', import.meta.url));

/** `npm run migrate-store -- …` as an operator runs it: its exit code and everything it printed. */
export async function migrateStore(...args: string[]): Promise<{ code: number; output: string }> {
	try {
		const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], {
			env: { PATH: process.env.PATH ?? '' },
		});
		return { code: 0, output: stdout + stderr };
	} catch (error) {
		const failure = error as { code: number; stdout: string; stderr: string };
		return { code: failure.code, output: failure.stdout + failure.stderr };
	}
}
