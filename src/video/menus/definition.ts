import {
	ApplicationCommandType,
	ApplicationIntegrationType,
	InteractionContextType,
	type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';

/** Message commands carry no description; their names are what members see under Apps, so they are localised. */
export const ANIMATE_IMAGE_MENU = 'Animate this image';
export const EXTEND_VIDEO_MENU = 'Extend this video';

export const animateImageMenu = {
	type: ApplicationCommandType.Message,
	name: ANIMATE_IMAGE_MENU,
	name_localizations: { 'zh-CN': '让这张图动起来' },
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
} as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;

export const extendVideoMenu = {
	type: ApplicationCommandType.Message,
	name: EXTEND_VIDEO_MENU,
	name_localizations: { 'zh-CN': '延长这段视频' },
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
} as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;
