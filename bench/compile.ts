import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const project = fileURLToPath(new URL('./tsconfig.bot.json', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

/** Where the compiled bot's entry lands: a cache of its own, so no one else's dist/ is touched. */
export const compiledEntry = fileURLToPath(
	new URL('../node_modules/.cache/pixverse-bench/bench/bot-entry.js', import.meta.url),
);

/**
 * Compiles the bot to JavaScript, as `npm start` runs it: under tsx the loader's own thread would add ~35 MB to every
 * peak RSS measured.
 */
export function compileBot(): void {
	try {
		execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
	} catch {
		// tsc still writes JavaScript when types are off; the run goes on, and the errors above say what to fix.
		console.error('the bot compiled with type errors (above); benchmarking the JavaScript emitted anyway');
	}
}
