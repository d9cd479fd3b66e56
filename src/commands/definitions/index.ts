import { quotaCommand } from './quota.js';
import { videoCommand } from './video.js';

export const commandDefinitions = [videoCommand, quotaCommand] as const;
