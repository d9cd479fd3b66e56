/** Runs a record's read-modify-write alone: no other `run` of the same key, in this process or any other, overlaps. */
export interface RecordLock {
	run<T>(key: string, task: () => Promise<T>): Promise<T>;
}
