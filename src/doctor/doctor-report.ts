import { redactLine } from '../ops/logger.js';

export interface CheckResult {
	ok: boolean;
	label: string;
	detail: string;
}

export const passed = (label: string, detail: string): CheckResult => ({ ok: true, label, detail });
export const failed = (label: string, detail: string): CheckResult => ({ ok: false, label, detail });

export function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Every line goes through the log redaction too, so no error text can carry a secret onto the screen. */
export function formatReport(results: CheckResult[], secrets: string[]): string {
	const problems = results.filter((result) => !result.ok).length;
	const lines = results.map((result) => `  ${result.ok ? 'ok  ' : 'FAIL'}  ${result.label}: ${result.detail}`);
	const summary = problems === 0 ? 'No problems found.' : `${problems} problem${problems === 1 ? '' : 's'} found.`;
	return redactLine(['PixVerse bot doctor', ...lines, summary].join('\n'), secrets);
}
