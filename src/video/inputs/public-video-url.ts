import ipaddr from 'ipaddr.js';
import { UserError } from '../../domain/errors.js';

const LOCAL_NAME_SUFFIXES = ['localhost', 'local', 'internal', 'home.arpa'];
const SHOWN_URL_MAX_LENGTH = 200;

/**
 * Accepts only an https URL the provider could fetch from the public internet, and returns it normalised.
 * DNS is not resolved: the provider, not the bot, fetches the URL, and a lookup here could not stop rebinding anyway.
 */
export function checkPublicVideoUrl(raw: string): string {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw new UserError('input.urlInvalid', { url: shorten(raw.trim()) });
	}
	if (url.protocol !== 'https:') throw new UserError('input.urlNotHttps');
	if (url.username !== '' || url.password !== '') {
		// The reply may be public: never echo a password back into the channel.
		url.username = '';
		url.password = '';
		throw new UserError('input.urlInvalid', { url: shorten(url.href) });
	}
	if (!isPublicHost(url.hostname)) throw new UserError('input.urlPrivate');
	return url.href;
}

function isPublicHost(hostname: string): boolean {
	if (hostname.startsWith('[')) return isPublicAddress(ipaddr.IPv6.parse(hostname.slice(1, -1)));
	// WHATWG URL has already rewritten every IPv4 spelling (`2130706433`, `0x7f.1`) as four decimal parts.
	if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) return isPublicAddress(ipaddr.IPv4.parse(hostname));
	const name = hostname.replace(/\.+$/, '');
	// A name without a dot can only mean something on the fetcher's own network (a search domain, a container).
	if (!name.includes('.')) return false;
	return !LOCAL_NAME_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

function isPublicAddress(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
	if (address.kind() === 'ipv6') {
		const v6 = address as ipaddr.IPv6;
		if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address());
		// Deprecated IPv4-compatible addresses (::a.b.c.d), which ipaddr.js counts as unicast.
		if (v6.match(ipaddr.IPv6.parse('::'), 96)) return false;
	}
	return address.range() === 'unicast';
}

function shorten(text: string): string {
	const codePoints = [...text];
	return codePoints.length > SHOWN_URL_MAX_LENGTH ? `${codePoints.slice(0, SHOWN_URL_MAX_LENGTH).join('')}…` : text;
}
