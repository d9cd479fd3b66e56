import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { APIAttachment } from 'discord.js';
import { nextSnowflake } from './snowflake.js';

export interface StoredFile {
	bytes: Buffer;
	contentType: string | undefined;
}

const contentTypeByExtension: Record<string, string> = {
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif',
	'.mp4': 'video/mp4',
	'.webm': 'video/webm',
	'.mov': 'video/quicktime',
	'.txt': 'text/plain; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
};

/** Discord derives an upload's content type from its file name, not from what the client claims. */
export function contentTypeForFilename(filename: string, claimed?: string): string | undefined {
	return contentTypeByExtension[extname(filename).toLowerCase()] ?? (claimed || undefined);
}

/** Files the stand-in serves back as if from Discord's CDN, under `/attachments/...`. */
export class AttachmentStore {
	private readonly files = new Map<string, StoredFile>();

	constructor(private readonly origin: string) {}

	store(input: {
		channelId: string;
		filename: string;
		bytes: Buffer;
		contentType: string | undefined;
		size?: number;
		description?: string;
	}): APIAttachment {
		const id = nextSnowflake();
		const path = `/attachments/${input.channelId}/${id}/${encodeURIComponent(input.filename)}`;
		this.files.set(path, { bytes: input.bytes, contentType: input.contentType });
		const url = `${this.origin}${path}?${signedQuery(path)}`;
		return {
			id,
			filename: input.filename,
			size: input.size ?? input.bytes.length,
			url,
			proxy_url: url,
			...(input.contentType === undefined ? {} : { content_type: input.contentType }),
			...(input.description === undefined ? {} : { description: input.description }),
		};
	}

	find(pathname: string): StoredFile | undefined {
		return this.files.get(pathname);
	}
}

/** Real attachment URLs are signed and expire; bots must not rely on them staying valid. */
function signedQuery(path: string): string {
	const issuedAt = Math.floor(Date.now() / 1000);
	const expiresAt = issuedAt + 24 * 3600;
	const signature = createHash('sha256').update(`${path}${expiresAt}`).digest('hex');
	return `ex=${expiresAt.toString(16)}&is=${issuedAt.toString(16)}&hm=${signature}&`;
}
