import type { SupportedLocale } from '../i18n/index.js';

/** Why posting in a log channel stopped: the bot may not post there, or the channel is gone. */
export const LOG_STOP_REASONS = ['no-access', 'unknown-channel'] as const;
export type LogStopReason = (typeof LOG_STOP_REASONS)[number];

/** Where a server's moderation log goes, who chose it (and is told if it stops), and in which language it is written. */
export interface LogChannel {
	channelId: string;
	setBy: string;
	locale: SupportedLocale;
	/** Tells this setting apart from an earlier one of the same channel: a log stopped once starts again when set again. */
	setAt: number;
	/** Set when Discord refused a post: nothing more is posted there until an admin sets the log again. */
	stopped?: { reason: LogStopReason; at: number };
}

export interface GuildModeration {
	/** Normalised (see normalizeForMatching), in the order they were added. */
	terms: string[];
	log?: LogChannel;
}

export const NO_MODERATION: GuildModeration = { terms: [] };

/** A server's list is shown whole in `/moderation list` and read on every job: a few hundred terms at most. */
export const MAX_TERMS_PER_SERVER = 200;
export const TERM_MAX_LENGTH = 100;
