import { MessageFlags } from 'discord.js';
import { plainText } from '../../discord/message-limits.js';
import type { DiscordMessenger } from '../../discord/messenger.js';
import type { ActivityEvent, ActivityListener } from '../../domain/activity.js';
import type { Clock } from '../../domain/clock.js';
import { type SupportedLocale, translate } from '../../i18n/index.js';
import type { Logger } from '../../ops/logger.js';
import type { BotMetrics } from '../../ops/metrics.js';
import type { BlockedBy, PromptToScreen } from '../blocklists.js';
import type { ModerationRecords } from '../moderation-records.js';
import type { LogChannel, LogStopReason } from '../moderation-settings.js';
import { activityGuildId, activityLine, blockedPromptLine } from './log-lines.js';
import { LogPoster, type LogTarget } from './log-poster.js';

/** Lines waiting per log channel: a burst larger than this loses its oldest lines, and says so. */
const LOG_QUEUE_CAPACITY = 50;
/** One message per second per channel stays within Discord's ~5 per 5 s with room for people posting there too. */
const LOG_MIN_GAP_MS = 1_000;

export interface ModerationLogDeps {
	records: ModerationRecords;
	messenger: Pick<DiscordMessenger, 'createChannelMessage' | 'openDm'>;
	/** The server's name as the bot knows it, for the message that tells an admin their log stopped. */
	serverName: (guildId: string) => string | undefined;
	metrics: Pick<BotMetrics, 'moderationLogDropped'>;
	logger: Logger;
	now: Clock;
}

/**
 * Each server's log channel: job, refusal and admin events as short lines, in the language of the admin who set it.
 * Events come from the job path and commands, which never wait for it: lines are written in the order their events
 * came, per server, and posted by the LogPoster. A channel Discord refuses stops the log, and the admin who set it
 * is told once.
 */
export class ModerationLog {
	readonly #poster: LogPoster;
	readonly #pending = new Map<string, Promise<void>>();

	constructor(private readonly deps: ModerationLogDeps) {
		this.#poster = new LogPoster({
			send: (channelId, content) => this.#send(channelId, content),
			refused: (target, reason, error) => this.#refused(target, reason, error),
			droppedNote: (target, count) => translate(target.locale, 'modlog.dropped', { count }),
			dropped: (count, why) => deps.metrics.moderationLogDropped(why, count),
			logger: deps.logger,
			capacity: LOG_QUEUE_CAPACITY,
			minGapMs: LOG_MIN_GAP_MS,
		});
	}

	readonly notify: ActivityListener = (event: ActivityEvent) => {
		this.#write(activityGuildId(event), (locale) => activityLine(event, locale));
	};

	blockedPrompt(prompt: PromptToScreen, term: string, by: BlockedBy): void {
		this.#write(prompt.guildId, (locale) => blockedPromptLine(prompt, term, by, locale));
	}

	/** The last line of a log an admin turned off, in the channel it was going to. */
	turnedOff(guildId: string, previous: LogChannel, userId: string): void {
		if (previous.stopped) return;
		const line = translate(previous.locale, 'modlog.turnedOff', { member: `<@${userId}>` });
		this.#poster.post({ ...previous, guildId }, line);
	}

	stop(): void {
		this.#poster.stop();
	}

	/** Reads the server's log setting in the order events came, so lines keep that order; never throws. */
	#write(guildId: string, line: (locale: SupportedLocale) => string): void {
		const previous = this.#pending.get(guildId) ?? Promise.resolve();
		const next = previous.then(async () => {
			try {
				const { log } = await this.deps.records.get(guildId);
				if (log && !log.stopped) this.#poster.post({ ...log, guildId }, line(log.locale));
			} catch (error) {
				this.deps.logger.warn({ err: error, guildId }, 'moderation log line not written');
			}
		});
		this.#pending.set(guildId, next);
		void next.then(() => {
			if (this.#pending.get(guildId) === next) this.#pending.delete(guildId);
		});
	}

	async #send(channelId: string, content: string): Promise<void> {
		await this.deps.messenger.createChannelMessage(channelId, {
			content,
			allowed_mentions: { parse: [] },
			// Links to results and in prompts stay links: previews would bury the log.
			flags: MessageFlags.SuppressEmbeds,
		});
	}

	/** Marks the log stopped (once per setting) and tells the admin who set it, by DM: their interaction is long gone. */
	async #refused(target: LogTarget, reason: LogStopReason, error: unknown): Promise<void> {
		const { records, messenger, serverName, logger, now } = this.deps;
		const { guildId, channelId, setAt } = target;
		const stopped = await records.update(guildId, (current) => {
			const log = current.log;
			if (log?.channelId !== channelId || log.setAt !== setAt || log.stopped) return undefined;
			return { ...current, log: { ...log, stopped: { reason, at: now() } } };
		});
		if (!stopped) return;
		logger.warn(
			{ err: error, guildId, channelId, reason },
			'Discord refused the moderation log channel; the log is stopped until an admin sets it again',
		);
		const content = translate(target.locale, 'modlog.cannotPostDm', {
			server: plainText(serverName(guildId) ?? guildId),
			channelId,
			reason: translate(target.locale, `moderation.stopReason.${reason}`),
		});
		try {
			const dmChannelId = await messenger.openDm(target.setBy);
			await messenger.createChannelMessage(dmChannelId, { content, allowed_mentions: { parse: [] } });
		} catch (dmError) {
			// `/moderation list` still shows the log as stopped, and why.
			logger.warn({ err: dmError, guildId, userId: target.setBy }, 'could not tell the admin their log stopped');
		}
	}
}
