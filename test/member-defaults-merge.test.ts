import { describe, expect, it } from 'vitest';
import { UserError } from '../src/domain/errors.js';
import {
	checkedDefaults,
	effectiveDefaults,
	NO_EXPLICIT_OPTIONS,
	NO_MEMBER_DEFAULTS,
	resolveVideoSettings,
} from '../src/video/defaults/member-defaults.js';

const fixedSeed = () => 1234;
const OWN = { resolution: '360p', aspectRatio: '9:16', duration: 3, audio: true } as const;

describe('the settings a job runs with: explicit, else the member’s default, else the product’s', () => {
	it('with nothing given and no defaults, the product’s', () => {
		expect(resolveVideoSettings(NO_EXPLICIT_OPTIONS, NO_MEMBER_DEFAULTS, 'text', fixedSeed)).toEqual({
			resolution: '720p',
			aspectRatio: '16:9',
			duration: 5,
			audio: false,
			seed: 1234,
		});
	});

	it('the member’s defaults fill what was not given', () => {
		expect(resolveVideoSettings(NO_EXPLICIT_OPTIONS, OWN, 'text', fixedSeed)).toEqual({ ...OWN, seed: 1234 });
		expect(resolveVideoSettings(NO_EXPLICIT_OPTIONS, { duration: 8 }, 'text', fixedSeed)).toMatchObject({
			resolution: '720p',
			duration: 8,
		});
	});

	it('an explicit option wins over the member’s default, false and the seed included', () => {
		const explicit = { resolution: '1080p', aspect_ratio: '1:1', duration: 10, audio: false, seed: 0 };
		expect(resolveVideoSettings(explicit, OWN, 'text', fixedSeed)).toEqual({
			resolution: '1080p',
			aspectRatio: '1:1',
			duration: 10,
			audio: false,
			seed: 0,
		});
	});

	it('an aspect ratio, given or default, goes only to text jobs', () => {
		for (const mode of ['image', 'frames', 'extend'] as const) {
			expect(resolveVideoSettings(NO_EXPLICIT_OPTIONS, OWN, mode, fixedSeed)).toEqual({
				resolution: '360p',
				duration: 3,
				audio: true,
				seed: 1234,
			});
		}
	});

	it('a stored default is checked like an option', () => {
		expect(() => resolveVideoSettings(NO_EXPLICIT_OPTIONS, { duration: 99 }, 'text', fixedSeed)).toThrow(UserError);
	});
});

describe('the defaults /video settings stores', () => {
	const none = { resolution: null, aspect_ratio: null, duration: null, audio: null };

	it('keeps only the options given, false included', () => {
		expect(checkedDefaults({ ...none, duration: 4, audio: false })).toEqual({ duration: 4, audio: false });
		expect(checkedDefaults(none)).toEqual({});
	});

	it('refuses what a job’s options would refuse', () => {
		expect(() => checkedDefaults({ ...none, resolution: '4k' })).toThrow(UserError);
		expect(() => checkedDefaults({ ...none, aspect_ratio: '5:4' })).toThrow(UserError);
		expect(() => checkedDefaults({ ...none, duration: 0 })).toThrow(UserError);
	});

	it('shows each default with whose it is', () => {
		expect(effectiveDefaults({ resolution: '1080p', audio: false })).toEqual({
			resolution: { value: '1080p', own: true },
			aspectRatio: { value: '16:9', own: false },
			duration: { value: 5, own: false },
			audio: { value: false, own: true },
		});
	});
});
