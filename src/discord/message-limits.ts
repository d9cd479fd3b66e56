import { type APIEmbed, escapeMarkdown } from 'discord.js';

/**
 * What Discord accepts in one message, in characters (code points). A message over any of them is refused whole
 * (50035), so a final edit would never land: every text the bot builds is cut to fit before it is sent.
 */
export const MESSAGE_LIMITS = {
	content: 2000,
	embedTitle: 256,
	embedDescription: 4096,
	fieldName: 256,
	fieldValue: 1024,
	footerText: 2048,
	authorName: 256,
	/** Titles, descriptions, field names and values, footers and author names of all of a message's embeds. */
	embedsTotal: 6000,
} as const;

const ELLIPSIS = '…';

/** At most `max` characters, ending in an ellipsis when cut; never splits a character made of two UTF-16 units. */
export function cut(text: string, max: number): string {
	const characters = [...text];
	if (characters.length <= max) return text;
	return `${characters.slice(0, Math.max(0, max - 1)).join('')}${ELLIPSIS}`;
}

export function length(text: string): number {
	return [...text].length;
}

/**
 * Text from outside (a prompt, the provider's words) shown as it was written: every markdown sign escaped, headings
 * and lists too, and every `[` so that no masked link can hide a URL behind other words (discord.js's own escape
 * catches only the first link of a line).
 */
export function plainText(text: string): string {
	return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true }).replaceAll('[', '\\[');
}

export function fitContent(content: string): string {
	return cut(content, MESSAGE_LIMITS.content);
}

/**
 * Each text cut to its own limit, then descriptions (the longest texts, last embed first), then field values (last
 * first), cut further until all the embeds together fit the message's total.
 */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
	const fitted = embeds.map(fitEmbed);
	let excess = fitted.reduce((sum, embed) => sum + embedLength(embed), 0) - MESSAGE_LIMITS.embedsTotal;
	const shorten = (text: string): string => {
		if (excess <= 0) return text;
		const shortened = cut(text, Math.max(1, length(text) - excess));
		excess -= length(text) - length(shortened);
		return shortened;
	};
	for (const embed of [...fitted].reverse()) {
		if (embed.description) embed.description = shorten(embed.description);
	}
	for (const embed of [...fitted].reverse()) {
		const fields = embed.fields?.map((field) => ({ ...field }));
		for (const field of [...(fields ?? [])].reverse()) field.value = shorten(field.value);
		if (fields) embed.fields = fields;
	}
	return fitted;
}

function fitEmbed(embed: APIEmbed): APIEmbed {
	const fitted: APIEmbed = { ...embed };
	if (embed.title !== undefined) fitted.title = cut(embed.title, MESSAGE_LIMITS.embedTitle);
	if (embed.description !== undefined) fitted.description = cut(embed.description, MESSAGE_LIMITS.embedDescription);
	if (embed.fields) {
		fitted.fields = embed.fields.map((field) => ({
			...field,
			name: cut(field.name, MESSAGE_LIMITS.fieldName),
			value: cut(field.value, MESSAGE_LIMITS.fieldValue),
		}));
	}
	if (embed.footer) fitted.footer = { ...embed.footer, text: cut(embed.footer.text, MESSAGE_LIMITS.footerText) };
	if (embed.author) fitted.author = { ...embed.author, name: cut(embed.author.name, MESSAGE_LIMITS.authorName) };
	return fitted;
}

function embedLength(embed: APIEmbed): number {
	const texts = [
		embed.title,
		embed.description,
		embed.footer?.text,
		embed.author?.name,
		...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
	];
	return texts.reduce((sum, text) => sum + length(text ?? ''), 0);
}
