import type { Dispatcher } from 'undici';
import { IMAGE_MAX_BYTES, type PreparedImage } from '../../domain/video.js';
import { ConcurrencyLimit } from '../delivery/concurrency-limit.js';
import type { AttachmentInfo } from './attachment-info.js';
import { prepareImage } from './prepare-image.js';

export interface ImagePreparerOptions {
	dispatcher: Dispatcher;
	downloadTimeoutMs: number;
	/** Images prepared at once, each in a download buffer of its own that is kept for the next. */
	atOnce: number;
}

/**
 * Prepares members' images a few at a time, each downloaded into one of a few buffers of the largest allowed size,
 * allocated once and reused: the bot's memory for raw images is that many buffers, whatever members send.
 */
export class ImagePreparer {
	readonly #limit: ConcurrencyLimit;
	readonly #free: Buffer[] = [];

	constructor(private readonly options: ImagePreparerOptions) {
		this.#limit = new ConcurrencyLimit(options.atOnce);
	}

	prepare(attachment: AttachmentInfo, optionName: string): Promise<PreparedImage> {
		return this.#limit.run(async () => {
			// Only as many buffers as images at once can ever be taken, so one is always free here.
			const buffer = this.#free.pop() ?? Buffer.allocUnsafeSlow(IMAGE_MAX_BYTES);
			try {
				return await prepareImage(attachment, optionName, {
					downloadTimeoutMs: this.options.downloadTimeoutMs,
					dispatcher: this.options.dispatcher,
					into: buffer,
				});
			} finally {
				this.#free.push(buffer);
			}
		});
	}
}
