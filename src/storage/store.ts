import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';

/**
 * Opens the one Keyv store everything shares. `throwOnErrors` makes a database fault reject the call instead of
 * reading as "nothing stored", so quota checks fail closed.
 */
export function openStore(databaseUrl: string): Keyv {
	const location = databaseUrl.replace(/^sqlite:\/\//, '');
	if (location !== ':memory:') mkdirSync(dirname(resolve(location)), { recursive: true });
	const store = new KeyvSqlite({ uri: `sqlite://${location}`, busyTimeout: 5_000 });
	return new Keyv({ store, namespace: 'bot', throwOnErrors: true });
}
