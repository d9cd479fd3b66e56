import { moderationCommand } from './moderation/commands/definition.js';
import { quotaCommand } from './quota/commands/definition.js';
import { videoCommand } from './video/commands/definition.js';

export const commandDefinitions = [videoCommand, quotaCommand, moderationCommand] as const;
