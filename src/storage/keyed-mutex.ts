import type { RecordLock } from './record-lock.js';

/**
 * Runs tasks one at a time per key, in arrival order. Keyv has no compare-and-set; on SQLite every interaction of a
 * guild reaches this one process, so serialising read-modify-write per key in memory is what makes updates atomic.
 */
export class KeyedMutex implements RecordLock {
	readonly #tails = new Map<string, Promise<unknown>>();

	run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.#tails.get(key) ?? Promise.resolve();
		const result = previous.then(task, task);
		const tail = result.catch(() => undefined);
		this.#tails.set(key, tail);
		void tail.then(() => {
			if (this.#tails.get(key) === tail) this.#tails.delete(key);
		});
		return result;
	}
}
