import { UserError } from '../../domain/errors.js';
import type { VideoMode, VideoSettings } from '../../domain/video.js';
import type { Logger } from '../../ops/logger.js';
import type { RecordLock } from '../../storage/record-lock.js';
import { UnreadableRecordError } from '../../storage/stored-record.js';
import {
	type ExplicitVideoOptions,
	type MemberDefaults,
	NO_MEMBER_DEFAULTS,
	resolveVideoSettings,
} from './member-defaults.js';
import type { MemberDefaultsStore } from './member-defaults-store.js';

/** Members' own defaults, and the settings every job runs with. */
export class VideoDefaults {
	constructor(
		private readonly store: MemberDefaultsStore,
		private readonly mutex: RecordLock,
		private readonly logger: Logger,
	) {}

	/**
	 * The one way a job that takes options gets its settings (slash commands, the Extend button, context menus):
	 * explicit options, else the member's defaults, else the product's.
	 */
	async settingsFor(userId: string, explicit: ExplicitVideoOptions, mode: VideoMode): Promise<VideoSettings> {
		return resolveVideoSettings(explicit, await this.get(userId), mode);
	}

	async get(userId: string): Promise<MemberDefaults> {
		try {
			return (await this.store.get(userId)) ?? NO_MEMBER_DEFAULTS;
		} catch (error) {
			if (!(error instanceof UnreadableRecordError)) throw error;
			this.logger.error(
				{ userId, key: error.key, quarantinedAs: error.quarantineKey, problem: error.problem },
				'a member’s video defaults cannot be read; their jobs are refused until they reset them',
			);
			throw new UserError('defaults.unreadable', {}, { cause: error });
		}
	}

	/** Sets the given defaults and keeps the member's others; returns them all. */
	update(userId: string, changes: MemberDefaults): Promise<MemberDefaults> {
		return this.mutex.run(`defaults:${userId}`, async () => {
			const updated = { ...(await this.get(userId)), ...changes };
			await this.store.save(userId, updated);
			return updated;
		});
	}

	/** False when the member had none. Works on a record that cannot be read, which is how a member gets past one. */
	reset(userId: string): Promise<boolean> {
		return this.mutex.run(`defaults:${userId}`, () => this.store.clear(userId));
	}
}
