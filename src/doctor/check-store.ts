import { isPostgresUrl, redactedUrl } from '../storage/postgres-store.js';
import { openStore, StoreOpenError, storeReady } from '../storage/store.js';
import { type CheckResult, errorText, failed, passed } from './doctor-report.js';

const PROBE_KEY = 'doctor:probe';

export async function checkStore(databaseUrl: string): Promise<CheckResult> {
	const label = 'store';
	const shown = redactedUrl(databaseUrl);
	try {
		const store = openStore(databaseUrl);
		try {
			await storeReady(store);
			const written = `doctor ${Date.now()}`;
			await store.set(PROBE_KEY, written, 60_000);
			const read = await store.get(PROBE_KEY);
			await store.delete(PROBE_KEY);
			if (read !== written) return failed(label, `${shown} did not return the value just written`);
			const mode = isPostgresUrl(databaseUrl) ? 'PostgreSQL' : 'WAL mode';
			return passed(label, `wrote, read and deleted a key in ${shown} (${mode})`);
		} finally {
			await store.disconnect();
		}
	} catch (error) {
		if (error instanceof StoreOpenError) return failed(label, `${shown} cannot be opened: ${error.fix}`);
		return failed(label, `${shown} failed: ${errorText(error)}`);
	}
}
