import { quotaCommand } from './quota/commands/definition.js';
import { videoCommand } from './video/commands/definition.js';

export const commandDefinitions = [videoCommand, quotaCommand] as const;
