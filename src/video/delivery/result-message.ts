import {
	type APIActionRowComponent,
	type APIButtonComponentWithCustomId,
	ButtonStyle,
	ComponentType,
	type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { cut, fitContent, fitEmbeds, length, MESSAGE_LIMITS, plainText } from '../../discord/message-limits.js';
import type { Job } from '../../domain/job.js';
import { type MessageKey, type MessageParams, translate } from '../../i18n/index.js';
import { resultCustomId } from '../custom-ids.js';

function formatDuration(seconds: number): string {
	const whole = Math.max(0, Math.round(seconds));
	const minutes = Math.floor(whole / 60);
	const rest = whole % 60;
	return minutes > 0 ? `${minutes}m ${String(rest).padStart(2, '0')}s` : `${rest}s`;
}

type ResultButton = 'reroll' | 'extend' | 'delete';

const BUTTON_LOOKS: Readonly<Record<ResultButton, { style: APIButtonComponentWithCustomId['style']; emoji: string }>> =
	{
		reroll: { style: ButtonStyle.Primary, emoji: '🎲' },
		extend: { style: ButtonStyle.Secondary, emoji: '➕' },
		delete: { style: ButtonStyle.Danger, emoji: '🗑️' },
	};

function resultButtons(
	job: Job,
	actions: readonly ResultButton[],
): APIActionRowComponent<APIButtonComponentWithCustomId> {
	const t = (key: MessageKey) => translate(job.locale, key);
	return {
		type: ComponentType.ActionRow,
		components: actions.map((action) => ({
			type: ComponentType.Button,
			style: BUTTON_LOOKS[action].style,
			custom_id: resultCustomId(action, job.id),
			label: t(`button.${action}`),
			emoji: { name: BUTTON_LOOKS[action].emoji },
		})),
	};
}

/**
 * The same message for the member's DMs. Reroll and Extend charge the job's server, so they never leave it: a DM
 * is outside any server, and the member may have left or been banned since. Only Delete goes with the video.
 */
export function forDirectMessage(job: Job, body: RESTPostAPIChannelMessageJSONBody): RESTPostAPIChannelMessageJSONBody {
	return { ...body, components: [resultButtons(job, ['delete'])] };
}

/**
 * The posted video's message. It mentions the requester and nobody else, whatever the prompt contains, and carries a
 * nonce so that posting again after a crash returns the first message instead of a duplicate.
 */
export function renderResultMessage(
	job: Job,
	delivery: { kind: 'file' } | { kind: 'link'; url: string; limitBytes: number; refused: boolean },
): RESTPostAPIChannelMessageJSONBody {
	const t = (key: MessageKey, params: MessageParams = {}) => translate(job.locale, key, params);
	const lines = [
		t('result.heading', { mention: `<@${job.userId}>` }),
		t('result.details', {
			mode: t(`label.mode.${job.mode}`),
			resolution: job.settings.resolution,
			duration: job.settings.duration,
			aspect: job.settings.aspectRatio ? `${job.settings.aspectRatio} · ` : '',
			audio: t(job.settings.audio ? 'label.on' : 'label.off'),
			seed: job.settings.seed,
			cost: job.cost,
			renderTime: formatDuration(job.renderSeconds ?? 0),
		}),
	];
	if (delivery.kind === 'link' && delivery.refused) lines.push(t('result.linkRefused', { url: delivery.url }));
	else if (delivery.kind === 'link') {
		lines.push(t('result.linkOnly', { limitMb: (delivery.limitBytes / 1024 / 1024).toFixed(0), url: delivery.url }));
	}
	const head = `**${t('label.prompt')}**\n>>> `;
	const prompt = cut(plainText(job.prompt), MESSAGE_LIMITS.embedDescription - length(head));
	return {
		content: fitContent(lines.join('\n')),
		embeds: fitEmbeds([{ description: `${head}${prompt}` }]),
		components: [resultButtons(job, ['reroll', 'extend', 'delete'])],
		allowed_mentions: { users: [job.userId], parse: [] },
		nonce: job.id,
		enforce_nonce: true,
	};
}
