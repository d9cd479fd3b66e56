import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { cut, fitContent, fitEmbeds, length, plainText } from '../src/discord/message-limits.js';

describe('cutting text to a limit', () => {
	it('leaves text at or under the limit as it is', () => {
		expect(cut('four', 4)).toBe('four');
		expect(cut('', 0)).toBe('');
	});

	it('ends text cut short with an ellipsis, the whole within the limit', () => {
		expect(cut('abcdefgh', 5)).toBe('abcd…');
		expect(length(cut('x'.repeat(3000), 2000))).toBe(2000);
	});

	it('counts characters, so an emoji is one and is never split in half', () => {
		expect(cut('🎬🎬🎬', 3)).toBe('🎬🎬🎬');
		expect(cut('🎬🎬🎬🎬', 3)).toBe('🎬🎬…');
	});

	it('cuts a message’s content to 2000 characters', () => {
		expect(length(fitContent('y'.repeat(2001)))).toBe(2000);
	});
});

describe('fitting embeds', () => {
	const total = (embeds: APIEmbed[]) =>
		embeds.reduce(
			(sum, embed) =>
				sum +
				length(embed.title ?? '') +
				length(embed.description ?? '') +
				length(embed.footer?.text ?? '') +
				(embed.fields ?? []).reduce((all, field) => all + length(field.name) + length(field.value), 0),
			0,
		);

	it.each([
		['a title', { title: 't'.repeat(300) }, (embed: APIEmbed) => embed.title, 256],
		['a description', { description: 'd'.repeat(5000) }, (embed: APIEmbed) => embed.description, 4096],
		[
			'a field name',
			{ fields: [{ name: 'n'.repeat(300), value: 'v' }] },
			(embed: APIEmbed) => embed.fields?.[0]?.name,
			256,
		],
		[
			'a field value',
			{ fields: [{ name: 'n', value: 'v'.repeat(2000) }] },
			(embed: APIEmbed) => embed.fields?.[0]?.value,
			1024,
		],
		['a footer', { footer: { text: 'f'.repeat(3000) } }, (embed: APIEmbed) => embed.footer?.text, 2048],
		['an author', { author: { name: 'a'.repeat(300) } }, (embed: APIEmbed) => embed.author?.name, 256],
	] as Array<[string, APIEmbed, (embed: APIEmbed) => string | undefined, number]>)(
		'cuts %s to its own limit',
		(_what, embed, text, limit) => {
			const [fitted] = fitEmbeds([embed]);

			expect(length(text(fitted ?? {}) ?? '')).toBe(limit);
			expect(text(fitted ?? {})?.endsWith('…')).toBe(true);
		},
	);

	it('keeps all embeds together within 6000 characters, cutting the last description first', () => {
		const fitted = fitEmbeds([{ description: 'a'.repeat(4000) }, { description: 'b'.repeat(4000) }]);

		expect(total(fitted)).toBe(6000);
		expect(fitted[0]?.description).toBe('a'.repeat(4000));
		expect(fitted[1]?.description).toBe(`${'b'.repeat(1999)}…`);
	});

	it('cuts field values too when descriptions alone cannot make room', () => {
		const fields = Array.from({ length: 8 }, (_, index) => ({ name: `n${index}`, value: 'v'.repeat(1024) }));

		const fitted = fitEmbeds([{ description: 'd', fields }]);

		expect(total(fitted)).toBe(6000);
		expect(fitted[0]?.fields?.[0]?.value).toBe('v'.repeat(1024));
		expect(fitted[0]?.fields?.[7]?.value.endsWith('…')).toBe(true);
	});

	it('leaves embeds that fit untouched', () => {
		const embeds: APIEmbed[] = [{ title: 'Done', description: 'ok', color: 1, fields: [{ name: 'a', value: 'b' }] }];

		expect(fitEmbeds(embeds)).toEqual(embeds);
	});
});

describe('showing outside text as plain text', () => {
	it('escapes markdown, headings and lists included, and every masked link', () => {
		expect(plainText('# **big** _news_\n- [one](https://a.example) and [two](https://b.example)')).toBe(
			'\\# \\*\\*big\\*\\* \\_news\\_\n\\- \\[one](https://a.example) and \\[two](https://b.example)',
		);
	});
});
