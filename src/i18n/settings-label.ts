import type { Job } from '../domain/job.js';
import { type MessageKey, type MessageParams, translate } from './index.js';

/** A job's settings and cost on one line, as the progress reply and the moderation log both show them. */
export function settingsLabel(job: Pick<Job, 'locale' | 'settings' | 'cost'>, locale = job.locale): string {
	const t = (key: MessageKey, params: MessageParams = {}) => translate(locale, key, params);
	const { resolution, duration, aspectRatio, audio, seed } = job.settings;
	return t('label.settings', {
		resolution,
		duration,
		aspect: aspectRatio ? `${aspectRatio} · ` : '',
		audio: t(audio ? 'label.on' : 'label.off'),
		seed,
		cost: job.cost,
	});
}
