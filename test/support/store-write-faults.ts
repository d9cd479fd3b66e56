import type Keyv from 'keyv';

/** Picks the write a fault starts from: by its key, and the value written (undefined for a delete). */
type WriteTrigger = (key: string, value: unknown) => boolean;

/**
 * A switch on the writes of a store a test opened, as a database that turns read-only (a full disk, a lost lock)
 * behaves: reads keep working while every write fails.
 */
export class StoreWriteFaults {
	#trigger: WriteTrigger | undefined;
	#allowed = 0;
	#counting = false;
	#refusing = false;
	/** The keys written since the fault started counting, in order: what a cut at that point leaves behind. */
	readonly landed: string[] = [];

	/** From the first write to a key that matches, that write and every later one fail, until `heal`. */
	refuseWritesFrom(trigger: WriteTrigger): void {
		this.refuseWritesAfter(0, trigger);
	}

	/**
	 * From the first write to a key that matches, lets `allowed` writes through (that one included) and fails every
	 * later one, until `heal`: the store as a process killed after its `allowed`-th write leaves it.
	 */
	refuseWritesAfter(allowed: number, trigger: WriteTrigger): void {
		this.#trigger = trigger;
		this.#allowed = allowed;
		this.landed.length = 0;
	}

	heal(): void {
		this.#trigger = undefined;
		this.#counting = false;
		this.#refusing = false;
	}

	/** The same store, its writes passing through this switch first. */
	around(store: Keyv): Keyv {
		const { set, setMany, delete: remove, deleteMany } = store;
		store.set = async (key, value, ttl) => {
			this.#check([{ key, value }]);
			return set.call(store, key, value, ttl);
		};
		store.setMany = async (entries) => {
			this.#check(entries);
			return setMany.call(store, entries);
		};
		store.delete = async (key) => {
			this.#check((Array.isArray(key) ? key : [key]).map((deleted) => ({ key: deleted })));
			return remove.call(store, key);
		};
		store.deleteMany = async (keys) => {
			this.#check(keys.map((deleted) => ({ key: deleted })));
			return deleteMany.call(store, keys);
		};
		return store;
	}

	#check(writes: Array<{ key: string; value?: unknown }>): void {
		if (!this.#counting && writes.some(({ key, value }) => this.#trigger?.(key, value) === true)) this.#counting = true;
		if (this.#counting && !this.#refusing) {
			if (this.#allowed === 0) this.#refusing = true;
			else {
				this.#allowed -= 1;
				this.landed.push(...writes.map(({ key }) => key));
			}
		}
		if (this.#refusing) throw new Error('SQLITE_READONLY: attempt to write a readonly database');
	}
}
