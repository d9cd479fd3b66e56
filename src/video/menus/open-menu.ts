import {
	LabelBuilder,
	type MessageContextMenuCommandInteraction,
	ModalBuilder,
	TextDisplayBuilder,
	TextInputBuilder,
	TextInputStyle,
} from 'discord.js';
import { UserError } from '../../domain/errors.js';
import { PROMPT_MAX_LENGTH } from '../../domain/video.js';
import type { MessageKey, MessageParams } from '../../i18n/index.js';
import { NO_EXPLICIT_OPTIONS, resolveVideoSettings } from '../defaults/member-defaults.js';
import type { VideoDefaults } from '../defaults/video-defaults.js';
import { menuCustomId } from './menu-custom-id.js';
import { imageTarget, type MenuMode, videoTarget } from './menu-target.js';
import type { MenuTargetStore } from './menu-target-store.js';
import { settingsPreview } from './settings-preview.js';

export const MENU_PROMPT_FIELD = 'prompt';

interface OpenMenuContext {
	interaction: MessageContextMenuCommandInteraction;
	mode: MenuMode;
	t: (key: MessageKey, params?: MessageParams) => string;
}

/**
 * Reads the right-clicked message as Discord sent it, keeps what it offers, and asks for the prompt. A modal must be
 * the first answer, within 3 s, so nothing is downloaded or reserved here; a message with nothing usable is refused
 * before anything is kept.
 */
export function createMenuOpener(defaults: VideoDefaults, targets: MenuTargetStore) {
	return async ({ interaction, mode, t }: OpenMenuContext): Promise<void> => {
		const message = interaction.targetMessage;
		const target = mode === 'image' ? imageTarget(message) : videoTarget(message, interaction.client.user.id);
		if (!target) throw new UserError(mode === 'image' ? 'menu.needsImage' : 'menu.needsVideo');
		const userId = interaction.user.id;
		const own = await defaults.get(userId);
		const settings = resolveVideoSettings(NO_EXPLICIT_OPTIONS, own, mode);
		await targets.save(userId, message.id, target);
		const prompt = new TextInputBuilder()
			.setCustomId(MENU_PROMPT_FIELD)
			.setStyle(TextInputStyle.Paragraph)
			.setRequired(true)
			.setMaxLength(PROMPT_MAX_LENGTH);
		const modal = new ModalBuilder()
			.setCustomId(menuCustomId(mode, message.channelId, message.id))
			.setTitle(t(mode === 'image' ? 'menu.animateTitle' : 'menu.extendTitle'))
			.addTextDisplayComponents(new TextDisplayBuilder().setContent(settingsPreview(settings, own, t)))
			.addLabelComponents(
				new LabelBuilder()
					.setLabel(t(mode === 'image' ? 'menu.promptLabel' : 'modal.promptLabel'))
					.setTextInputComponent(prompt),
			);
		await interaction.showModal(modal);
	};
}
