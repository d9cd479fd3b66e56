import type Keyv from 'keyv';
import type { InlineImage, SubmitBody } from '../../modelverse/wire.js';

/**
 * Images are stored in pieces whose Base64 (a third larger) stays under V8's large-object size of 128 KiB: each is a
 * short-lived string the cheapest garbage collection frees, where a whole image's would be a large string waiting for
 * a full collection, several copies of it at once.
 */
const PIECE_BYTES = 90 * 1024;

const bodyKey = (jobId: string) => `job:${jobId}:submit-body`;
const pieceKey = (jobId: string, field: string, index: number) => `job:${jobId}:submit-body:${field}:${index}`;

/** Where an inline image's bytes went. */
interface StoredImage {
	contentType: InlineImage['contentType'];
	pieces: number;
}

/** The body with each inline image replaced by where its pieces are; URLs and the prompt stay as they are. */
interface StoredBody extends Omit<SubmitBody, 'input'> {
	input: Record<string, string | StoredImage>;
}

/**
 * A job's submit body, kept until the task is sent so that a restart or a 429 can send it then. The pieces go first
 * and the body last, so a body that can be read is whole; bodies from before images were stored in pieces (with
 * their data URIs inline) read as they are.
 */
export class SubmitBodyStore {
	constructor(private readonly keyv: Keyv) {}

	/** `ttlMs`: a crash between deleting the pieces and the body cannot leave them behind for longer. */
	async save(jobId: string, body: SubmitBody, ttlMs: number): Promise<void> {
		const input: StoredBody['input'] = {};
		for (const [field, value] of Object.entries(body.input) as Array<[string, string | InlineImage]>) {
			if (typeof value === 'string') {
				input[field] = value;
				continue;
			}
			const pieces = Math.ceil(value.data.length / PIECE_BYTES);
			// One at a time, so only one piece's JSON exists at once.
			for (let index = 0; index < pieces; index++) {
				const piece = value.data.subarray(index * PIECE_BYTES, (index + 1) * PIECE_BYTES);
				await this.keyv.set(pieceKey(jobId, field, index), piece, ttlMs);
			}
			input[field] = { contentType: value.contentType, pieces };
		}
		await this.keyv.set(bodyKey(jobId), { ...body, input } satisfies StoredBody, ttlMs);
	}

	/** Undefined when there is none, or when a piece has gone missing: a partial image must never be sent. */
	async load(jobId: string): Promise<SubmitBody | undefined> {
		const stored = await this.keyv.get<StoredBody>(bodyKey(jobId));
		if (!stored) return undefined;
		const input: Record<string, string | InlineImage> = {};
		for (const [field, value] of Object.entries(stored.input)) {
			if (typeof value === 'string') {
				input[field] = value;
				continue;
			}
			const pieces = await this.keyv.getMany<Buffer>(this.#pieceKeys(jobId, field, value.pieces));
			if (!pieces.every((piece): piece is Buffer => Buffer.isBuffer(piece))) return undefined;
			input[field] = { contentType: value.contentType, data: Buffer.concat(pieces) };
		}
		return { ...stored, input } as SubmitBody;
	}

	async forget(jobId: string): Promise<void> {
		const stored = await this.keyv.get<StoredBody>(bodyKey(jobId));
		for (const [field, value] of Object.entries(stored?.input ?? {})) {
			if (typeof value !== 'string') await this.keyv.deleteMany(this.#pieceKeys(jobId, field, value.pieces));
		}
		await this.keyv.delete(bodyKey(jobId));
	}

	#pieceKeys(jobId: string, field: string, count: number): string[] {
		return Array.from({ length: count }, (_, index) => pieceKey(jobId, field, index));
	}
}
