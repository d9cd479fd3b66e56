import type Keyv from 'keyv';
import { z } from 'zod';
import type { RecordLock } from '../storage/record-lock.js';
import {
	copyToQuarantine,
	type RecordFormat,
	readRecord,
	stamped,
	UnreadableRecordError,
} from '../storage/stored-record.js';
import { type GuildModeration, LOG_STOP_REASONS, NO_MODERATION } from './moderation-settings.js';

const moderationKey = (guildId: string) => `guild:${guildId}:moderation`;

const MODERATION_FORMAT: RecordFormat<GuildModeration> = {
	schema: z.looseObject({
		terms: z.array(z.string().min(1)),
		log: z
			.looseObject({
				channelId: z.string().min(1),
				setBy: z.string().min(1),
				locale: z.enum(['en-US', 'zh-CN']),
				setAt: z.number(),
				stopped: z.looseObject({ reason: z.enum(LOG_STOP_REASONS), at: z.number() }).exactOptional(),
			})
			.exactOptional(),
	}) satisfies z.ZodType<GuildModeration>,
	version: 1,
	upgrades: {},
};

/**
 * A server's blocked terms and log channel, in one record. Changes run under the record's lock (Keyv has no
 * compare-and-set). A record that cannot be read is copied under `quarantine:<key>` and throws, so the server's jobs
 * are refused (a list that cannot be read cannot be checked) until the operator repairs or deletes it.
 */
export class ModerationRecords {
	constructor(
		private readonly keyv: Keyv,
		private readonly mutex: RecordLock,
	) {}

	async get(guildId: string): Promise<GuildModeration> {
		const key = moderationKey(guildId);
		const stored: unknown = await this.keyv.get(key);
		if (stored === undefined || stored === null) return NO_MODERATION;
		const reading = readRecord(MODERATION_FORMAT, stored);
		if (reading.ok) return reading.value;
		const quarantinedAs = await copyToQuarantine(this.keyv, key, stored, reading.problem);
		throw new UnreadableRecordError(key, quarantinedAs, reading.problem);
	}

	/**
	 * Applies `change` to the current record and saves what it returns; returns `undefined` from `change` to leave the
	 * record as it is. Resolves to what `change` returned.
	 */
	update(guildId: string, change: (current: GuildModeration) => GuildModeration | undefined) {
		const key = moderationKey(guildId);
		return this.mutex.run(key, async () => {
			const next = change(await this.get(guildId));
			if (next === undefined) return undefined;
			const saved = await this.keyv.set(key, stamped(MODERATION_FORMAT, next));
			if (!saved) throw new Error(`the store did not save ${key}`);
			return next;
		});
	}
}
