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
	dispatcher?: Dispatcher | undefined;
}

export class DownloadTooLargeError extends Error {
	constructor(
		readonly bytesSeen: number,
		readonly maxBytes: number,
	) {
		super(`Download exceeded ${maxBytes} bytes (stopped after ${bytesSeen})`);
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

/** Streams a URL into memory, dropping the connection as soon as the body outgrows `maxBytes`. */
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
		const chunks: Buffer[] = [];
		let bytesSeen = 0;
		// Leaving this loop early (break or throw) destroys the body, which closes the connection.
		for await (const chunk of response.body as AsyncIterable<Buffer>) {
			chunks.push(chunk);
			bytesSeen += chunk.length;
			if (Math.min(bytesSeen, wanted) > options.maxBytes) throw new DownloadTooLargeError(bytesSeen, options.maxBytes);
			if (bytesSeen >= wanted) break;
		}
		const body = Buffer.concat(chunks);
		return body.length > wanted ? body.subarray(0, wanted) : body;
	} catch (error) {
		if (error instanceof DownloadTooLargeError || error instanceof DownloadFailedError) throw error;
		throw new DownloadFailedError(status, { cause: error });
	}
}
