import { enUS, type MessageKey } from './en-US.js';
import { zhCN } from './zh-CN.js';

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
