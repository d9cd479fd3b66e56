import {
	type APIActionRowComponent,
	type APIAllowedMentions,
	type APIButtonComponentWithCustomId,
	type APIEmbed,
	ButtonStyle,
	ComponentType,
} from 'discord.js';
import { cut, fitEmbeds, length, MESSAGE_LIMITS, plainText } from '../../discord/message-limits.js';
import type { Job, JobFailure } from '../../domain/job.js';
import { type MessageKey, type MessageParams, ordinal, translate } from '../../i18n/index.js';
import { settingsLabel } from '../../i18n/settings-label.js';
import { resultCustomId } from '../custom-ids.js';

const COLOURS = { working: 0x5865f2, done: 0x57f287, failed: 0xed4245 } as const;

const STATE_LABEL: Record<Job['state'], MessageKey> = {
	in_line: 'progress.inLineUnplaced',
	waiting: 'progress.waitingForSlot',
	submitting: 'progress.submitting',
	queued: 'progress.queued',
	rendering: 'progress.rendering',
	delivering: 'progress.readyPosting',
	succeeded: 'progress.done',
	failed: 'progress.failed',
	timed_out: 'progress.timedOut',
	expired: 'progress.expired',
	cancelled: 'progress.cancelled',
};

const unixSeconds = (ms: number) => Math.round(ms / 1000);

/** The provider's reasons can run to pages; the member needs the gist, and the prompt must keep its room. */
const REASON_SHOWN_MAX = 1000;

/** A failure's words from outside (the provider's reason) are shown as plain text, and no longer than a paragraph. */
function failureText(job: Job, failure: JobFailure): string {
	const params: Record<string, string | number> = {};
	for (const [name, value] of Object.entries(failure.params)) {
		params[name] = typeof value === 'string' ? plainText(cut(value, REASON_SHOWN_MAX)) : value;
	}
	return translate(job.locale, failure.key, params satisfies MessageParams);
}

function messageLink(guildId: string, channelId: string, messageId: string): string {
	return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/**
 * Where a member finds the video: the posted message, else the provider's own link while it lives (every post
 * refused, or still being posted).
 */
export function resultLink(job: Job): string | undefined {
	if (!job.result || job.state === 'expired') return undefined;
	const { posted, providerUrl } = job.result;
	return posted ? messageLink(job.guildId, posted.channelId, posted.messageId) : providerUrl;
}

/**
 * The progress reply. Elapsed time and the estimate are Discord timestamps, which count live in the client, so the
 * text (and so an edit) changes only when the state or the estimate itself changes.
 */
export interface ProgressBody {
	content: string;
	embeds: APIEmbed[];
	/** Cancel while the job waits in line; none once it leaves, which takes the button away. */
	components: Array<APIActionRowComponent<APIButtonComponentWithCustomId>>;
	allowed_mentions: APIAllowedMentions;
}

function cancelRow(job: Job): APIActionRowComponent<APIButtonComponentWithCustomId> {
	return {
		type: ComponentType.ActionRow,
		components: [
			{
				type: ComponentType.Button,
				style: ButtonStyle.Secondary,
				custom_id: resultCustomId('cancel', job.id),
				label: translate(job.locale, 'button.cancel'),
				emoji: { name: '✖️' },
			},
		],
	};
}

export function renderProgress(job: Job, expectedFinishAt: number | undefined): ProgressBody {
	const t = (key: MessageKey, params = {}) => translate(job.locale, key, params);
	const status: string[] = [];
	let title = t(STATE_LABEL[job.state]);
	let colour: number = COLOURS.working;

	if (job.state === 'succeeded' && job.result) {
		const link = resultLink(job);
		if (job.result.uploadRefused) title = t('progress.doneLinkRefused');
		else title = t(job.result.linkOnly ? 'progress.doneLinkOnly' : 'progress.done');
		status.push(t('progress.result', { link }));
		colour = COLOURS.done;
	} else if (job.failure) {
		status.push(failureText(job, job.failure));
		colour = COLOURS.failed;
	} else if (job.state === 'in_line') {
		if (job.linePosition !== undefined) {
			title = t('progress.inLine', { position: ordinal(job.locale, job.linePosition) });
		}
		status.push(t('progress.inLineSince', { time: `<t:${unixSeconds(job.createdAt)}:R>` }));
	} else {
		status.push(t('progress.started', { time: `<t:${unixSeconds(job.submittedAt ?? job.createdAt)}:R>` }));
		if (job.state === 'queued' || job.state === 'rendering') {
			status.push(
				expectedFinishAt
					? t('progress.eta', { time: `<t:${unixSeconds(expectedFinishAt)}:R>` })
					: t('progress.etaUnknown'),
			);
		}
	}

	const head = `**${t('label.prompt')}**\n>>> `;
	const tail = `\n\n${status.join(' · ')}`;
	const prompt = cut(plainText(job.prompt), MESSAGE_LIMITS.embedDescription - length(head) - length(tail));
	const embed: APIEmbed = {
		title,
		description: `${head}${prompt}${tail}`,
		color: colour,
		fields: [{ name: t(`label.mode.${job.mode}`), value: settingsLabel(job) }],
	};
	const [firstInput] = job.mode === 'extend' ? [] : job.inputUrls;
	if (firstInput) embed.thumbnail = { url: firstInput };
	const extraThumbnails: APIEmbed[] = job.inputUrls.slice(1).map((url) => ({ thumbnail: { url } }));
	return {
		content: '',
		embeds: fitEmbeds([embed, ...(job.mode === 'extend' ? [] : extraThumbnails)]),
		components: job.state === 'in_line' ? [cancelRow(job)] : [],
		allowed_mentions: { parse: [] },
	};
}
