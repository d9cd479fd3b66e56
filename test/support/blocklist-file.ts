import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** An operator's BLOCKLIST_FILE with these lines, removed when the running test finishes. */
export function blocklistFile(lines: string[]): string {
	const dir = mkdtempSync(join(tmpdir(), 'pixverse-blocklist-'));
	onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
	const file = join(dir, 'blocklist.txt');
	writeFileSync(file, lines.join('\n'));
	return file;
}
