import type Keyv from 'keyv';
import { z } from 'zod';
import { ASPECT_RATIOS, DURATION_MAX, DURATION_MIN, RESOLUTIONS } from '../../domain/video.js';
import {
	copyToQuarantine,
	type RecordFormat,
	readRecord,
	stamped,
	UnreadableRecordError,
} from '../../storage/stored-record.js';
import type { MemberDefaults } from './member-defaults.js';

/**
 * Per user, not per server: members carry their habits (a resolution, a format) from one server to the next, as
 * they do in other generation bots, and a default costs nothing until a server's quota charges the job it shapes.
 */
const defaultsKey = (userId: string) => `user:${userId}:video-defaults`;

const DEFAULTS_FORMAT: RecordFormat<MemberDefaults> = {
	schema: z.looseObject({
		resolution: z.enum(RESOLUTIONS).exactOptional(),
		aspectRatio: z.enum(ASPECT_RATIOS).exactOptional(),
		duration: z.number().int().min(DURATION_MIN).max(DURATION_MAX).exactOptional(),
		audio: z.boolean().exactOptional(),
	}) satisfies z.ZodType<MemberDefaults>,
	version: 1,
	upgrades: {},
};

/**
 * Each member's defaults in one record, kept until they reset them: a member's explicit choice, a few bytes. A
 * record that fails validation is copied to `quarantine:<key>` and throws, so a job never silently runs with
 * settings (and costs) the member did not choose.
 */
export class MemberDefaultsStore {
	constructor(private readonly keyv: Keyv) {}

	async get(userId: string): Promise<MemberDefaults | undefined> {
		const key = defaultsKey(userId);
		const stored: unknown = await this.keyv.get(key);
		if (stored === undefined || stored === null) return undefined;
		const reading = readRecord(DEFAULTS_FORMAT, stored);
		if (reading.ok) return reading.value;
		const quarantinedAs = await copyToQuarantine(this.keyv, key, stored, reading.problem);
		throw new UnreadableRecordError(key, quarantinedAs, reading.problem);
	}

	async save(userId: string, defaults: MemberDefaults): Promise<void> {
		const key = defaultsKey(userId);
		if (!(await this.keyv.set(key, stamped(DEFAULTS_FORMAT, defaults))))
			throw new Error(`the store did not save ${key}`);
	}

	/** False when there was nothing to clear. */
	clear(userId: string): Promise<boolean> {
		return this.keyv.delete(defaultsKey(userId));
	}
}
