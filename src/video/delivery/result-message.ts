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

function resultButtons(job: Job): APIActionRowComponent<APIButtonComponentWithCustomId> {
	const t = (key: MessageKey) => translate(job.locale, key);
	const button = (
		action: 'reroll' | 'extend' | 'delete',
		style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger,
		emoji: string,
	): APIButtonComponentWithCustomId => ({
		type: ComponentType.Button,
		style,
		custom_id: resultCustomId(action, job.id),
		label: t(`button.${action}`),
		emoji: { name: emoji },
	});
	return {
		type: ComponentType.ActionRow,
		components: [
			button('reroll', ButtonStyle.Primary, '🎲'),
			button('extend', ButtonStyle.Secondary, '➕'),
			button('delete', ButtonStyle.Danger, '🗑️'),
		],
	};
}

/**
 * The posted video's message. It mentions the requester and nobody else, whatever the prompt contains, and carries a
 * nonce so that posting again after a crash returns the first message instead of a duplicate.
 */
export function renderResultMessage(
	job: Job,
	delivery: { kind: 'file' } | { kind: 'link'; url: string; limitBytes: number },
): RESTPostAPIChannelMessageJSONBody {
	const t = (key: MessageKey, params: MessageParams = {}) => translate(job.locale, key, params);
	const lines = [
		t('result.heading', { mention: `<@${job.userId}>` }),
		t('result.details', {
			mode: t(`label.mode.${job.mode}`),
			resolution: job.settings.resolution,
			duration: job.settings.duration,
			seed: job.settings.seed,
			cost: job.cost,
			renderTime: formatDuration(job.renderSeconds ?? 0),
		}),
	];
	if (delivery.kind === 'link') {
		lines.push(t('result.linkOnly', { limitMb: (delivery.limitBytes / 1024 / 1024).toFixed(0), url: delivery.url }));
	}
	const head = `**${t('label.prompt')}**\n>>> `;
	const prompt = cut(plainText(job.prompt), MESSAGE_LIMITS.embedDescription - length(head));
	return {
		content: fitContent(lines.join('\n')),
		embeds: fitEmbeds([{ description: `${head}${prompt}` }]),
		components: [resultButtons(job)],
		allowed_mentions: { users: [job.userId], parse: [] },
		nonce: job.id,
		enforce_nonce: true,
	};
}
