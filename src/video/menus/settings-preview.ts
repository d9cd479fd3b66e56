import type { VideoSettings } from '../../domain/video.js';
import type { MessageKey, MessageParams } from '../../i18n/index.js';
import type { MemberDefaults } from '../defaults/member-defaults.js';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The settings a menu's job will run with, each marked as the member's own or the bot's, as `/video settings` does. */
export function settingsPreview(settings: VideoSettings, own: MemberDefaults, t: Translate): string {
	const line = (option: string, value: string | number, isOwn: boolean) =>
		t('defaults.line', { option, value, whose: t(isOwn ? 'defaults.yours' : 'defaults.product') });
	return [
		t('menu.settingsHeading'),
		line('resolution', settings.resolution, own.resolution !== undefined),
		...(settings.aspectRatio === undefined
			? []
			: [line('aspect_ratio', settings.aspectRatio, own.aspectRatio !== undefined)]),
		line('duration', t('defaults.seconds', { seconds: settings.duration }), own.duration !== undefined),
		line('audio', t(settings.audio ? 'label.on' : 'label.off'), own.audio !== undefined),
	].join('\n');
}
