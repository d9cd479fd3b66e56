import { z } from 'zod';
import type { MenuMode } from './menu-target.js';

const snowflake = z.string().regex(/^\d{17,20}$/);
const menuCustomIdSchema = z.object({
	scope: z.literal('menu'),
	mode: z.enum(['image', 'extend']),
	channelId: snowflake,
	messageId: snowflake,
});

export type MenuCustomId = z.infer<typeof menuCustomIdSchema>;

/** The prompt modal's id names the right-clicked message: its submit is a new interaction that knows nothing else. */
export function menuCustomId(mode: MenuMode, channelId: string, messageId: string): string {
	return `menu:${mode}:${channelId}:${messageId}`;
}

/** Anyone can send any custom id to a bot, so it is parsed like any other input. */
export function parseMenuCustomId(customId: string): MenuCustomId | undefined {
	const [scope, mode, channelId, messageId, ...rest] = customId.split(':');
	if (rest.length > 0) return undefined;
	const parsed = menuCustomIdSchema.safeParse({ scope, mode, channelId, messageId });
	return parsed.success ? parsed.data : undefined;
}
