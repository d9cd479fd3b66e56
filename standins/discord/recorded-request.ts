import type { BodyValidationError } from './discord-errors.js';
import type { UploadedFile } from './message-composer.js';

type RecordedFile = UploadedFile;

export interface RecordedRequest {
	method: string;
	/** Below `/api/v10`, e.g. `/channels/1/messages`. */
	path: string;
	/** The spec's path template the stand-in served it with, e.g. `/channels/{channel_id}/messages`. */
	route: string | undefined;
	query: Record<string, string>;
	headers: Record<string, string>;
	/** The JSON body, or the parsed `payload_json` of a multipart body. */
	body: unknown;
	files: RecordedFile[];
	status: number;
	response: unknown;
	responseHeaders: Record<string, string>;
	/** Epoch milliseconds when the request arrived. */
	time: number;
}

export interface ValidationFailure {
	method: string;
	path: string;
	operation: string;
	errors: BodyValidationError[];
	body: unknown;
}

export interface UnhandledRoute {
	method: string;
	path: string;
}
