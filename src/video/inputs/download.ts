import { type Dispatcher, request } from 'undici';

/** How the bot fetches members' inputs and finished videos: one agent, one timeout, one size ceiling for videos. */
export interface DownloadSettings {
	dispatcher: Dispatcher;
	downloadTimeoutMs: number;
	maxVideoBytes: number;
}

export interface DownloadOptions {
	maxBytes: number;
	timeoutMs: number;
	/** Stop after this many bytes and return them, e.g. to sniff a video without fetching all of it. */
	firstBytesOnly?: number;
	/**
	 * Where to put the body, at least `maxBytes` long: a buffer used again and again spares the garbage collector a
	 * large allocation per download. The bytes returned are a view into it.
	 */
	into?: Buffer;
	dispatcher?: Dispatcher | undefined;
}

export class DownloadTooLargeError extends Error {
	constructor(
		/** The body is at least this large: what its server declared, or what arrived before the download stopped. */
		readonly atLeastBytes: number,
		readonly maxBytes: number,
	) {
		super(`Download exceeded ${maxBytes} bytes (at least ${atLeastBytes})`);
		this.name = 'DownloadTooLargeError';
	}
}

export class DownloadFailedError extends Error {
	constructor(
		/** The HTTP status when the server answered; undefined for a network fault or a timeout. */
		readonly status: number | undefined,
		options?: ErrorOptions,
	) {
		super(
			status === undefined ? 'Download failed before a complete answer' : `Download answered HTTP ${status}`,
			options,
		);
		this.name = 'DownloadFailedError';
	}
}

/**
 * Streams a URL into memory, dropping the connection as soon as the body outgrows `maxBytes` (or says it will). With a
 * declared length the body lands in one buffer of that size, so a large file is held once, not in chunks plus a copy.
 */
export async function downloadWithCap(url: string, options: DownloadOptions): Promise<Uint8Array> {
	const wanted = options.firstBytesOnly ?? Number.POSITIVE_INFINITY;
	let status: number | undefined;
	try {
		const response = await request(url, {
			signal: AbortSignal.timeout(options.timeoutMs),
			...(options.dispatcher && { dispatcher: options.dispatcher }),
		});
		status = response.statusCode;
		if (status < 200 || status > 299) {
			await response.body.dump();
			throw new DownloadFailedError(status);
		}
		const declared = Math.min(declaredLength(response.headers), wanted);
		if (declared > options.maxBytes) {
			response.body.destroy();
			throw new DownloadTooLargeError(declared, options.maxBytes);
		}
		const body = new BodyBuffer(options.into ?? Buffer.allocUnsafe(declared));
		// Leaving this loop early (break or throw) destroys the body, which closes the connection.
		for await (const chunk of response.body as AsyncIterable<Buffer>) {
			const bytesSeen = body.length + chunk.length;
			if (Math.min(bytesSeen, wanted) > options.maxBytes) throw new DownloadTooLargeError(bytesSeen, options.maxBytes);
			body.append(chunk.subarray(0, wanted - body.length));
			if (body.length >= wanted) break;
		}
		return body.bytes();
	} catch (error) {
		if (error instanceof DownloadTooLargeError || error instanceof DownloadFailedError) throw error;
		throw new DownloadFailedError(status, { cause: error });
	}
}

/** 0 when the server declares none: the buffer then grows as bytes come. */
function declaredLength(headers: Dispatcher.ResponseData['headers']): number {
	const declared = Number(headers['content-length']);
	return Number.isSafeInteger(declared) && declared >= 0 ? declared : 0;
}

const GROWTH_STEP_BYTES = 64 * 1024;

/** Bytes gathered into one buffer given up front, growing (by doubling) only when the server declared too little. */
class BodyBuffer {
	#buffer: Buffer;
	#length = 0;

	constructor(buffer: Buffer) {
		this.#buffer = buffer;
	}

	get length(): number {
		return this.#length;
	}

	append(chunk: Buffer): void {
		if (this.#length + chunk.length > this.#buffer.length) {
			const needed = this.#length + chunk.length;
			const grown = Buffer.allocUnsafe(Math.max(needed, this.#buffer.length * 2, GROWTH_STEP_BYTES));
			this.#buffer.copy(grown, 0, 0, this.#length);
			this.#buffer = grown;
		}
		chunk.copy(this.#buffer, this.#length);
		this.#length += chunk.length;
	}

	bytes(): Buffer {
		return this.#buffer.subarray(0, this.#length);
	}
}
