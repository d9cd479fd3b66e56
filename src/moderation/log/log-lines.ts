import { messageLink } from 'discord.js';
import { cut, plainText } from '../../discord/message-limits.js';
import type { ActivityEvent } from '../../domain/activity.js';
import type { Job } from '../../domain/job.js';
import type { VideoMode } from '../../domain/video.js';
import { type MessageKey, type MessageParams, type SupportedLocale, translate } from '../../i18n/index.js';
import { settingsLabel } from '../../i18n/settings-label.js';
import type { BlockedBy, PromptToScreen } from '../blocklists.js';

/** Enough of a prompt to see what was asked; the member's own reply shows it whole. */
const PROMPT_SHOWN = 300;

const member = (userId: string) => `<@${userId}>`;

/**
 * A prompt as plain text on one line: markdown escaped, and `<` too, so that text shaped like a mention or a
 * channel (`<@…>`, `<#…>`) shows as typed instead of as a mention.
 */
function promptText(prompt: string): string {
	return plainText(cut(prompt.replace(/\s+/gu, ' '), PROMPT_SHOWN)).replaceAll('<', '\\<');
}

function endedLine(job: Job, t: (key: MessageKey, params?: MessageParams) => string): string {
	const common = { member: member(job.userId), jobId: job.id };
	if (job.state === 'succeeded') {
		const posted = job.result?.posted;
		if (!posted) return t('modlog.doneNotPosted', common);
		// A video the channel refused went to the member's DMs, which have no server in their link.
		const inServer = posted.channelId === job.channelId;
		const link = inServer
			? messageLink(posted.channelId, posted.messageId, job.guildId)
			: messageLink(posted.channelId, posted.messageId);
		return t('modlog.done', { ...common, link });
	}
	const reason = job.failure ? t(job.failure.key, job.failure.params) : '';
	return t('modlog.ended', { ...common, state: t(`jobs.state.${job.state}`), reason });
}

const modeText = (mode: VideoMode, t: (key: MessageKey) => string) => t(`label.mode.${mode}`);

/** One event as a line of a server's log, in the log's language. */
export function activityLine(event: ActivityEvent, locale: SupportedLocale): string {
	const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
	switch (event.kind) {
		case 'job-accepted': {
			const { job } = event;
			return t('modlog.accepted', {
				member: member(job.userId),
				mode: modeText(job.mode, t),
				settings: settingsLabel(job, locale),
				jobId: job.id,
				prompt: promptText(job.prompt),
			});
		}
		case 'job-ended':
			return endedLine(event.job, t);
		case 'job-refused':
			return t('modlog.refusedQuota', {
				member: member(event.userId),
				mode: modeText(event.mode, t),
				reason: t(event.refusal.key, event.refusal.params),
			});
		case 'admin-change':
			return t('modlog.adminChange', { member: member(event.userId), command: event.command });
	}
}

/** A prompt refused for a blocked term: admins see a term of their own list, never one of the operator's. */
export function blockedPromptLine(
	prompt: PromptToScreen,
	term: string,
	by: BlockedBy,
	locale: SupportedLocale,
): string {
	const params = { member: member(prompt.userId), mode: translate(locale, `label.mode.${prompt.mode}`) };
	return by === 'operator'
		? translate(locale, 'modlog.refusedBlockedByOperator', params)
		: translate(locale, 'modlog.refusedBlocked', { ...params, term: plainText(term).replaceAll('<', '\\<') });
}

export function activityGuildId(event: ActivityEvent): string {
	return 'job' in event ? event.job.guildId : event.guildId;
}
