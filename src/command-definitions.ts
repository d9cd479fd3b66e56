import { moderationCommand } from './moderation/commands/definition.js';
import { quotaCommand } from './quota/commands/definition.js';
import { videoCommand } from './video/commands/definition.js';
import { animateImageMenu, extendVideoMenu } from './video/menus/definition.js';

/** Slash and message commands together: Discord registers them in one bulk overwrite. */
export const commandDefinitions = [
	videoCommand,
	quotaCommand,
	moderationCommand,
	animateImageMenu,
	extendVideoMenu,
] as const;
