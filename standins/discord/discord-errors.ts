export interface DiscordErrorBody {
	message: string;
	code: number;
	errors?: unknown;
}

/** Thrown by route handlers; the pipeline turns it into Discord's error answer. */
export class DiscordHttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: DiscordErrorBody | Record<string, unknown>,
		readonly headers: Record<string, string> = {},
	) {
		super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
	}
}

function discordError(status: number, code: number, message: string): DiscordHttpError {
	return new DiscordHttpError(status, { message, code });
}

export const discordErrors = {
	unauthorized: () => discordError(401, 0, '401: Unauthorized'),
	notFound: () => discordError(404, 0, '404: Not Found'),
	unknownChannel: () => discordError(404, 10003, 'Unknown Channel'),
	unknownGuild: () => discordError(404, 10004, 'Unknown Guild'),
	unknownMember: () => discordError(404, 10007, 'Unknown Member'),
	unknownMessage: () => discordError(404, 10008, 'Unknown Message'),
	unknownUser: () => discordError(404, 10013, 'Unknown User'),
	unknownWebhook: () => discordError(404, 10015, 'Unknown Webhook'),
	unknownApplication: () => discordError(404, 10002, 'Unknown Application'),
	unknownInteraction: () => discordError(404, 10062, 'Unknown interaction'),
	requestEntityTooLarge: () => discordError(413, 40005, 'Request entity too large'),
	alreadyAcknowledged: () => discordError(400, 40060, 'Interaction has already been acknowledged.'),
	missingAccess: () => discordError(403, 50001, 'Missing Access'),
	cannotEditOthersMessage: () => discordError(403, 50005, 'Cannot edit a message authored by another user'),
	cannotMessageUser: () => discordError(403, 50007, 'Cannot send messages to this user'),
	missingPermissions: () => discordError(403, 50013, 'Missing Permissions'),
	invalidWebhookToken: () => discordError(401, 50027, 'Invalid Webhook Token'),
	invalidJson: () => discordError(400, 50109, 'The request body contains invalid JSON.'),
	emptyMessage: () => discordError(400, 50006, 'Cannot send an empty message'),
};

/** What a 429 says: how long to wait, and which limit was hit. */
export interface RateLimitAnswer {
	retryAfterSeconds: number;
	global: boolean;
	/** Discord's hash naming the route's limit (the same for every channel or webhook it counts separately). */
	bucket: string;
	/** Requests the bucket allows per window. */
	limit: number;
	/** A request sent while an earlier 429 for the same bucket was still running. */
	ignoredRunningLimit: boolean;
}

/** Discord's 429, with the headers discord.js reads to wait it out. */
export class RateLimitError extends DiscordHttpError {
	readonly ignoredRunningLimit: boolean;

	constructor({ retryAfterSeconds, global, bucket, limit, ignoredRunningLimit }: RateLimitAnswer) {
		const headers: Record<string, string> = global
			? { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }
			: {
					'retry-after': String(retryAfterSeconds),
					...rateLimitHeaders({ bucket, limit, remaining: 0, resetAfterSeconds: retryAfterSeconds }),
					'x-ratelimit-scope': 'user',
				};
		super(429, { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global }, headers);
		this.ignoredRunningLimit = ignoredRunningLimit;
	}
}

/** The headers Discord puts on every answer of a rate-limited route, 429 or not. */
export function rateLimitHeaders(state: {
	bucket: string;
	limit: number;
	remaining: number;
	resetAfterSeconds: number;
}): Record<string, string> {
	return {
		'x-ratelimit-limit': String(state.limit),
		'x-ratelimit-remaining': String(state.remaining),
		'x-ratelimit-reset': (Date.now() / 1000 + state.resetAfterSeconds).toFixed(3),
		'x-ratelimit-reset-after': state.resetAfterSeconds.toFixed(3),
		'x-ratelimit-bucket': state.bucket,
	};
}

/** Lets a lookup that must succeed read as one expression: `find(id) ?? throwError(discordErrors.unknownX())`. */
export function throwError(error: Error): never {
	throw error;
}

export interface BodyValidationError {
	/** JSON pointer into the body, e.g. `/data/content`. */
	path: string;
	message: string;
}

/** Discord's 50035 answer; the stand-in also records it as a validation failure. */
export class InvalidFormBodyError extends DiscordHttpError {
	constructor(readonly validationErrors: BodyValidationError[]) {
		super(400, { message: 'Invalid Form Body', code: 50035, errors: discordFieldErrors(validationErrors) });
	}
}

/** Discord nests field errors: `{ data: { content: { _errors: [{ code, message }] } } }`. */
function discordFieldErrors(errors: BodyValidationError[]): Record<string, unknown> {
	const root: Record<string, unknown> = {};
	for (const error of errors) {
		let node = root;
		for (const segment of error.path.split('/').filter(Boolean)) {
			node[segment] ??= {};
			node = node[segment] as Record<string, unknown>;
		}
		const list = (node._errors as Array<{ code: string; message: string }> | undefined) ?? [];
		node._errors = [...list, { code: 'BASE_TYPE_INVALID', message: error.message }];
	}
	return root;
}
