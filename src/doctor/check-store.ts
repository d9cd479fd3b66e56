import { openStore } from '../storage/store.js';
import { type CheckResult, errorText, failed, passed } from './doctor-report.js';

const PROBE_KEY = 'doctor:probe';

export async function checkStore(databaseUrl: string): Promise<CheckResult> {
	const label = 'store';
	try {
		const store = openStore(databaseUrl);
		try {
			const written = `doctor ${Date.now()}`;
			await store.set(PROBE_KEY, written, 60_000);
			const read = await store.get(PROBE_KEY);
			await store.delete(PROBE_KEY);
			if (read !== written) return failed(label, `${databaseUrl} did not return the value just written`);
			return passed(label, `wrote, read and deleted a key in ${databaseUrl}`);
		} finally {
			await store.disconnect();
		}
	} catch (error) {
		return failed(label, `${databaseUrl} failed: ${errorText(error)}`);
	}
}
