import type Keyv from 'keyv';
import { z } from 'zod';
import { type RecordFormat, readRecord, stamped } from '../../storage/stored-record.js';
import type { MenuMode, MenuTarget } from './menu-target.js';

/** Long enough for a member to write a prompt at leisure, short enough that nothing lingers. */
const MENU_TARGET_TTL_MS = 60 * 60 * 1000;

const attachmentSchema = z.object({
	url: z.string().url(),
	filename: z.string(),
	size: z.number().int().nonnegative().nullable(),
	contentType: z.string().nullable().exactOptional(),
});

const TARGET_FORMAT: RecordFormat<MenuTarget> = {
	schema: z.union([
		z.object({ mode: z.literal('image'), image: attachmentSchema }),
		z.object({ mode: z.literal('extend'), video: attachmentSchema }),
		z.object({ mode: z.literal('extend'), jobId: z.string().regex(/^[\w-]{8,25}$/) }),
	]) satisfies z.ZodType<MenuTarget>,
	version: 1,
	upgrades: {},
};

const targetKey = (userId: string, messageId: string, mode: MenuMode) => `menu:${userId}:${messageId}:${mode}`;

/**
 * What the right-clicked message offered, kept until the member submits the prompt. Discord sends a message's
 * attachments and embeds with the context-menu interaction, but fetching the message again later returns them empty
 * to a bot without the privileged Message Content intent, which this bot does not ask for.
 */
export class MenuTargetStore {
	constructor(private readonly keyv: Keyv) {}

	async save(userId: string, messageId: string, target: MenuTarget): Promise<void> {
		const key = targetKey(userId, messageId, target.mode);
		if (!(await this.keyv.set(key, stamped(TARGET_FORMAT, target), MENU_TARGET_TTL_MS)))
			throw new Error(`the store did not save ${key}`);
	}

	/** Undefined when it expired, or was never this member's: they right-click the message again. */
	async get(userId: string, messageId: string, mode: MenuMode): Promise<MenuTarget | undefined> {
		const stored: unknown = await this.keyv.get(targetKey(userId, messageId, mode));
		if (stored === undefined || stored === null) return undefined;
		const reading = readRecord(TARGET_FORMAT, stored);
		return reading.ok ? reading.value : undefined;
	}
}
