import type { AspectRatio, Resolution, VideoMode, VideoSettings } from '../../domain/video.js';
import { DEFAULT_SETTINGS } from '../../domain/video.js';
import { parseVideoSettings, pickSeed, type RawVideoOptions } from '../commands/parse-settings.js';

/** A member's own defaults (`/video settings`): each one they set, none of the others. */
export interface MemberDefaults {
	resolution?: Resolution;
	aspectRatio?: AspectRatio;
	duration?: number;
	audio?: boolean;
}

export const NO_MEMBER_DEFAULTS: MemberDefaults = Object.freeze({});

/** What a job's command took from its options; null where the member gave nothing. */
export type ExplicitVideoOptions = RawVideoOptions;

export const NO_EXPLICIT_OPTIONS: ExplicitVideoOptions = Object.freeze({
	resolution: null,
	aspect_ratio: null,
	duration: null,
	audio: null,
	seed: null,
});

/**
 * The settings a job runs with: each option given explicitly, else the member's default, else the product's.
 * Every job that takes options (slash commands, the Extend button, context menus) goes through here. The result is
 * checked as the options are, since a stored default is input too.
 */
export function resolveVideoSettings(
	explicit: ExplicitVideoOptions,
	defaults: MemberDefaults,
	mode: VideoMode,
	randomSeed: () => number = pickSeed,
): VideoSettings {
	return parseVideoSettings(
		{
			resolution: explicit.resolution ?? defaults.resolution ?? null,
			aspect_ratio: explicit.aspect_ratio ?? defaults.aspectRatio ?? null,
			duration: explicit.duration ?? defaults.duration ?? null,
			audio: explicit.audio ?? defaults.audio ?? null,
			seed: explicit.seed,
		},
		mode,
		randomSeed,
	);
}

/** The options `/video settings` takes, checked as a job's options are; only those given become defaults. */
export function checkedDefaults(raw: Omit<RawVideoOptions, 'seed'>): MemberDefaults {
	const checked = parseVideoSettings({ ...raw, seed: 0 }, 'text');
	return {
		...(raw.resolution === null ? {} : { resolution: checked.resolution }),
		...(raw.aspect_ratio === null || checked.aspectRatio === undefined ? {} : { aspectRatio: checked.aspectRatio }),
		...(raw.duration === null ? {} : { duration: checked.duration }),
		...(raw.audio === null ? {} : { audio: checked.audio }),
	};
}

interface ShownDefault<T> {
	value: T;
	/** True when it is the member's own, false when it is the product's. */
	own: boolean;
}

export interface EffectiveDefaults {
	resolution: ShownDefault<Resolution>;
	aspectRatio: ShownDefault<AspectRatio>;
	duration: ShownDefault<number>;
	audio: ShownDefault<boolean>;
}

function shown<T>(own: T | undefined, product: T): ShownDefault<T> {
	return own === undefined ? { value: product, own: false } : { value: own, own: true };
}

/** What a job given no options would run with, and whose each value is: for showing a member, not for running. */
export function effectiveDefaults(defaults: MemberDefaults): EffectiveDefaults {
	return {
		resolution: shown<Resolution>(defaults.resolution, DEFAULT_SETTINGS.resolution),
		aspectRatio: shown<AspectRatio>(defaults.aspectRatio, DEFAULT_SETTINGS.aspectRatio),
		duration: shown<number>(defaults.duration, DEFAULT_SETTINGS.duration),
		audio: shown<boolean>(defaults.audio, DEFAULT_SETTINGS.audio),
	};
}
