import { UserError } from '../../domain/errors.js';
import type { CommandContext, SubcommandHandler } from '../../interactions/context.js';
import { checkedDefaults, effectiveDefaults, type MemberDefaults } from './member-defaults.js';
import type { VideoDefaults } from './video-defaults.js';

function describeDefaults(defaults: MemberDefaults, t: CommandContext['t']): string[] {
	const shown = effectiveDefaults(defaults);
	const line = (option: string, value: string | number, own: boolean) =>
		t('defaults.line', { option, value, whose: t(own ? 'defaults.yours' : 'defaults.product') });
	return [
		line('resolution', shown.resolution.value, shown.resolution.own),
		line('aspect_ratio', shown.aspectRatio.value, shown.aspectRatio.own),
		line('duration', t('defaults.seconds', { seconds: shown.duration.value }), shown.duration.own),
		line('audio', t(shown.audio.value ? 'label.on' : 'label.off'), shown.audio.own),
	];
}

/** `/video settings`: with options, stores the caller's defaults; with none, shows them; `reset:True` clears them. */
export function createVideoSettingsHandler(defaults: VideoDefaults): SubcommandHandler {
	return {
		ephemeral: true,
		async execute({ interaction, t }) {
			const { options } = interaction;
			const userId = interaction.user.id;
			const given = {
				resolution: options.getString('resolution'),
				aspect_ratio: options.getString('aspect_ratio'),
				duration: options.getInteger('duration'),
				audio: options.getBoolean('audio'),
			};
			const anyGiven = Object.values(given).some((value) => value !== null);
			let lines: string[];
			if (options.getBoolean('reset') === true) {
				if (anyGiven) throw new UserError('defaults.resetAlone');
				const cleared = await defaults.reset(userId);
				lines = [t(cleared ? 'defaults.cleared' : 'defaults.hadNone'), ...describeDefaults({}, t)];
			} else if (anyGiven) {
				const saved = await defaults.update(userId, checkedDefaults(given));
				lines = [t('defaults.saved'), ...describeDefaults(saved, t), t('defaults.howUsed')];
			} else {
				lines = [t('defaults.heading'), ...describeDefaults(await defaults.get(userId), t), t('defaults.howUsed')];
			}
			await interaction.editReply({ content: lines.join('\n') });
		},
	};
}
