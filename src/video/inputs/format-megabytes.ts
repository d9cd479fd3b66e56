const BYTES_PER_MEGABYTE = 1024 * 1024;

/** Discord shows attachment sizes in binary megabytes, so ours match what the member sees. */
export function formatMegabytes(bytes: number): string {
	return (bytes / BYTES_PER_MEGABYTE).toFixed(1);
}
