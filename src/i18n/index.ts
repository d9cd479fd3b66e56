import { enUS, type MessageKey } from './en-US/index.js';
import { zhCN } from './zh-CN/index.js';

export type { MessageKey };
export type SupportedLocale = 'en-US' | 'zh-CN';
export type MessageParams = Readonly<Record<string, string | number>>;

const catalogs: Record<SupportedLocale, Record<MessageKey, string>> = { 'en-US': enUS, 'zh-CN': zhCN };

/** Discord sends the member's client locale; every Chinese variant reads Simplified Chinese best of what we have. */
export function resolveLocale(discordLocale: string | null | undefined): SupportedLocale {
	return discordLocale?.startsWith('zh') ? 'zh-CN' : 'en-US';
}

export function translate(locale: SupportedLocale, key: MessageKey, params: MessageParams = {}): string {
	return catalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole,
	);
}

const ENGLISH_ORDINALS = new Intl.PluralRules('en-US', { type: 'ordinal' });
const ENGLISH_SUFFIXES: Readonly<Record<string, string>> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

/** A place in a line as each locale says it: `2nd`, `第 2 位`. */
export function ordinal(locale: SupportedLocale, place: number): string {
	if (locale === 'zh-CN') return `第 ${place} 位`;
	return `${place}${ENGLISH_SUFFIXES[ENGLISH_ORDINALS.select(place)] ?? 'th'}`;
}
