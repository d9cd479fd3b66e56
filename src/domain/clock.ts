/** Milliseconds since the epoch; injected so tests and the benchmark can move time without touching the system clock. */
export type Clock = () => number;
