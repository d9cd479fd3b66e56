import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const project = fileURLToPath(new URL('./tsconfig.bot.json', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));

/** Where the compiled bot's entry lands: a cache of its own, so no one else's dist/ is touched. */
export const compiledEntry = `${cache}pixverse-bench/bench/bot-entry.js`;

/**
 * Compiles the bot to JavaScript, as `npm start` runs it: under tsx the loader's own thread would add ~35 MB to every
 * peak RSS measured.
 */
export function compileBot(): void {
	compile(project);
}

/**
 * The bot as it was at an earlier commit, compiled beside the current one, to measure a change against what came
 * before on the same machine and workload. Only `src` comes from that commit: the bench's own entry (which answers
 * the memory questions) and the installed packages are today's. Undefined when git cannot find the commit.
 */
export function compileBotAt(revision: string): string | undefined {
	const dir = `${cache}pixverse-bench-at-${revision.replace(/[^\w.-]/g, '_')}/`;
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(`${dir}bench`, { recursive: true });
	try {
		const archive = execFileSync('git', ['-C', root, 'archive', revision, 'src', 'tsconfig.json', 'package.json'], {
			maxBuffer: 64 * 1024 * 1024,
		});
		execFileSync('tar', ['-x', '-C', dir], { input: archive });
	} catch (error) {
		console.error(`cannot read ${revision} from git (${(error as Error).message.split('\n')[0]}); no baseline run`);
		return undefined;
	}
	copyFileSync(fileURLToPath(new URL('./bot-entry.ts', import.meta.url)), `${dir}bench/bot-entry.ts`);
	copyFileSync(project, `${dir}bench/tsconfig.bot.json`);
	symlinkSync(`${root}node_modules`, `${dir}node_modules`, 'dir');
	compile(`${dir}bench/tsconfig.bot.json`, `${dir}dist`);
	const entry = `${dir}dist/bench/bot-entry.js`;
	return existsSync(entry) ? entry : undefined;
}

function compile(tsconfig: string, outDir?: string): void {
	try {
		execFileSync(process.execPath, [tsc, '-p', tsconfig, ...(outDir ? ['--outDir', outDir] : [])], {
			stdio: 'inherit',
		});
	} catch {
		// tsc still writes JavaScript when types are off; the run goes on, and the errors above say what to fix.
		console.error('the bot compiled with type errors (above); benchmarking the JavaScript emitted anyway');
	}
}
