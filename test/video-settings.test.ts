import { describe, expect, it } from 'vitest';
import { UserError } from '../src/domain/errors.js';
import { parseVideoSettings, type RawVideoOptions } from '../src/video/commands/parse-settings.js';

const none: RawVideoOptions = { resolution: null, aspect_ratio: null, duration: null, audio: null, seed: null };
const fixedSeed = () => 1234;

function refusal(raw: Partial<RawVideoOptions>): string | undefined {
	try {
		parseVideoSettings({ ...none, ...raw }, 'text', fixedSeed);
		return undefined;
	} catch (error) {
		return error instanceof UserError ? error.key : String(error);
	}
}

describe('video options, checked again whatever Discord let through', () => {
	it('fills the defaults and picks a seed when none is given', () => {
		expect(parseVideoSettings(none, 'text', fixedSeed)).toEqual({
			resolution: '720p',
			aspectRatio: '16:9',
			duration: 5,
			audio: false,
			seed: 1234,
		});
	});

	it('keeps an aspect ratio only for text jobs, where the provider uses it', () => {
		expect(parseVideoSettings({ ...none, aspect_ratio: '9:16' }, 'image', fixedSeed)).not.toHaveProperty('aspectRatio');
	});

	it('keeps the member’s own seed, including 0 and the largest allowed', () => {
		expect(parseVideoSettings({ ...none, seed: 0 }, 'text', fixedSeed).seed).toBe(0);
		expect(parseVideoSettings({ ...none, seed: 2_147_483_647 }, 'text', fixedSeed).seed).toBe(2_147_483_647);
	});

	it.each([
		[{ duration: 0 }, 'input.durationRange'],
		[{ duration: 16 }, 'input.durationRange'],
		[{ duration: 2.5 }, 'input.durationRange'],
		[{ seed: -1 }, 'input.seedRange'],
		[{ seed: 2_147_483_648 }, 'input.seedRange'],
		[{ resolution: '4k' }, 'input.choiceInvalid'],
		[{ aspect_ratio: '5:4' }, 'input.choiceInvalid'],
	])('refuses %j', (raw, key) => {
		expect(refusal(raw)).toBe(key);
	});

	it('accepts both ends of the duration range', () => {
		expect(refusal({ duration: 1 })).toBeUndefined();
		expect(refusal({ duration: 15 })).toBeUndefined();
	});
});
