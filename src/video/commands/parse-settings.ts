import { randomInt } from 'node:crypto';
import { UserError } from '../../domain/errors.js';
import {
	ASPECT_RATIOS,
	type AspectRatio,
	DEFAULT_SETTINGS,
	DURATION_MAX,
	DURATION_MIN,
	RESOLUTIONS,
	type Resolution,
	SEED_MAX,
	type VideoMode,
	type VideoSettings,
} from '../../domain/video.js';

export interface RawVideoOptions {
	resolution: string | null;
	aspect_ratio: string | null;
	duration: number | null;
	audio: boolean | null;
	seed: number | null;
}

function pick<T extends string>(value: string | null, allowed: readonly T[], option: string, fallback: T): T {
	if (value === null) return fallback;
	if ((allowed as readonly string[]).includes(value)) return value as T;
	throw new UserError('input.choiceInvalid', { value, option });
}

export const pickSeed = () => randomInt(0, SEED_MAX + 1);

/**
 * Discord enforces the same limits client-side, but any client can send anything, so every value is checked again.
 * A seed is always chosen, so every result can be reproduced.
 */
export function parseVideoSettings(raw: RawVideoOptions, mode: VideoMode, randomSeed = pickSeed): VideoSettings {
	const duration = raw.duration ?? DEFAULT_SETTINGS.duration;
	if (!Number.isInteger(duration) || duration < DURATION_MIN || duration > DURATION_MAX) {
		throw new UserError('input.durationRange', { min: DURATION_MIN, max: DURATION_MAX });
	}
	const seed = raw.seed ?? randomSeed();
	if (!Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) throw new UserError('input.seedRange', { max: SEED_MAX });
	const resolution = pick<Resolution>(raw.resolution, RESOLUTIONS, 'resolution', DEFAULT_SETTINGS.resolution);
	const settings: VideoSettings = { resolution, duration, audio: raw.audio ?? DEFAULT_SETTINGS.audio, seed };
	if (mode === 'text') {
		settings.aspectRatio = pick<AspectRatio>(
			raw.aspect_ratio,
			ASPECT_RATIOS,
			'aspect_ratio',
			DEFAULT_SETTINGS.aspectRatio,
		);
	}
	return settings;
}
