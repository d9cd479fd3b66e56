import type { MessageKey, MessageParams } from '../i18n/index.js';

/** A problem the person who used the bot can fix; its text is localised at the edge, never taken from `message`. */
export class UserError extends Error {
	constructor(
		readonly key: MessageKey,
		readonly params: MessageParams = {},
		options?: ErrorOptions,
	) {
		super(key, options);
		this.name = 'UserError';
	}
}
