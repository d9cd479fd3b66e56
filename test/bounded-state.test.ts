import Keyv from 'keyv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EditThrottle } from '../src/discord/edit-throttle.js';
import type { Job } from '../src/domain/job.js';
import { buildSubmitBody } from '../src/modelverse/wire.js';
import { createLogger } from '../src/ops/logger.js';
import { KeyedMutex } from '../src/storage/keyed-mutex.js';
import { JobStore } from '../src/video/jobs/job-store.js';
import { SentFingerprints } from '../src/video/progress/sent-fingerprints.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('the edit throttle forgets quiet channels', () => {
	it('keeps only channels with an edit inside the window, however many were ever edited', () => {
		let now = 0;
		const throttle = new EditThrottle(4, 5_000, () => now);
		for (let channel = 0; channel < 1_000; channel++) expect(throttle.tryAcquire(`channel-${channel}`)).toBe(true);
		expect(throttle.trackedChannels).toBe(1_000);

		now = 5_000;
		throttle.tryAcquire('channel-busy');

		expect(throttle.trackedChannels).toBe(1);
	});

	it('still counts a channel’s edits within the window after others are forgotten', () => {
		let now = 0;
		const throttle = new EditThrottle(2, 5_000, () => now);
		throttle.tryAcquire('quiet');
		now = 4_000;
		expect([throttle.tryAcquire('busy'), throttle.tryAcquire('busy')]).toEqual([true, true]);

		now = 6_000;

		expect(throttle.tryAcquire('busy')).toBe(false);
		expect(throttle.trackedChannels).toBe(1);
	});
});

describe('the progress updater’s memory of what it sent', () => {
	it('skips only an unchanged text, and forgets a job when told it ended', () => {
		const sent = new SentFingerprints(() => 0);
		sent.remember('job-1', 'queued');

		expect(sent.isUnchanged('job-1', 'queued')).toBe(true);
		expect(sent.isUnchanged('job-1', 'rendering')).toBe(false);
		sent.forget('job-1');
		expect(sent.isUnchanged('job-1', 'queued')).toBe(false);
		expect(sent.size).toBe(0);
	});

	it('forgets jobs quiet for an hour, which ended without saying so, as new ones come', () => {
		let now = 0;
		const sent = new SentFingerprints(() => now);
		for (let job = 0; job < 500; job++) sent.remember(`job-${job}`, 'rendering');
		now = 30 * MINUTE;
		sent.remember('job-recent', 'queued');

		now = 60 * MINUTE;
		sent.remember('job-new', 'queued');

		expect(sent.size).toBe(2);
		expect(sent.isUnchanged('job-recent', 'queued')).toBe(true);
	});
});

describe('a member’s list of recent jobs in the store', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	function jobOf(id: string, at: number): Job {
		return {
			id,
			guildId: '300000000000000001',
			channelId: '300000000000000002',
			userId: '300000000000000003',
			locale: 'en-US',
			mode: 'text',
			prompt: 'waves',
			settings: { resolution: '720p', aspectRatio: '16:9', duration: 5, audio: false, seed: 1 },
			cost: 9,
			inputUrls: [],
			inputImages: [],
			state: 'submitting',
			createdAt: at,
			updatedAt: at,
			deadlineAt: at + 45 * MINUTE,
			interaction: { applicationId: '1', token: 't', expiresAt: at + 15 * MINUTE, attachmentSizeLimit: 1 },
			reservation: {
				jobId: id,
				guildId: '300000000000000001',
				userId: '300000000000000003',
				cost: 9,
				periodKey: 'p',
				monthKey: 'm',
			},
		};
	}

	it('expires 31 days after the member’s last job, each new job counting the time again', async () => {
		vi.useFakeTimers({ toFake: ['Date'], now: 0 });
		const keyv = new Keyv();
		const store = new JobStore({
			keyv,
			mutex: new KeyedMutex(),
			logger: createLogger({ level: 'silent', secrets: [] }),
			now: Date.now,
		});
		const body = buildSubmitBody(
			'waves',
			{ resolution: '540p', duration: 5, audio: false, seed: 1 },
			{ mode: 'text' },
			'url',
		);
		const listed = async () =>
			(await keyv.get<string[]>('member:300000000000000001:300000000000000003:recent-jobs')) ?? [];

		await store.create(jobOf('first', Date.now()), body);
		vi.setSystemTime(20 * DAY);
		await store.create(jobOf('second', Date.now()), body);

		vi.setSystemTime(50 * DAY);
		expect(await listed()).toEqual(['second', 'first']);
		vi.setSystemTime(51 * DAY + MINUTE);
		expect(await listed()).toEqual([]);
	});
});
