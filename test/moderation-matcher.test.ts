import { describe, expect, it } from 'vitest';
import { normalizeForMatching } from '../src/moderation/matching/normalize.js';
import { TermMatcher } from '../src/moderation/matching/term-matcher.js';

const finds = (terms: string[], prompt: string) => new TermMatcher(terms).find(prompt);

describe('blocked terms in prompts', () => {
	it('match whatever the case, also beyond ASCII (ß and SS, final sigma)', () => {
		expect(finds(['gore'], 'A GORE-soaked scene')).toBe('gore');
		expect(finds(['Straße'], 'die STRASSE bei Nacht')).toBe('strasse');
		expect(finds(['σοφοσ'], 'Ο ΣΟΦΟΣ ΓΕΡΟΣ')).toBe('σοφος');
		expect(finds(['gore'], 'a gorge at dawn')).toBeUndefined();
	});

	it('match after NFKC: fullwidth letters, styled mathematical letters and ligatures read as plain ones', () => {
		expect(finds(['gore'], 'ｇｏｒｅ everywhere')).toBe('gore');
		expect(finds(['gore'], '𝐠𝐨𝐫𝐞 everywhere')).toBe('gore');
		expect(finds(['fight'], 'a ﬁght in the rain')).toBe('fight');
		expect(finds(['ｆｉｇｈｔ'], 'a fight in the rain')).toBe('fight');
	});

	it('ignore zero-width characters and soft hyphens hidden inside a word, in prompts and in terms', () => {
		for (const hidden of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']) {
			expect(finds(['gore'], `so much go${hidden}re`), JSON.stringify(hidden)).toBe('gore');
		}
		expect(finds(['go\u200Bre'], 'so much gore')).toBe('gore');
	});

	it('match whole words in spaced scripts: ass is not in class, bass or assassin', () => {
		const matcher = new TermMatcher(['ass']);
		for (const clean of ['a class of kittens', 'a bass guitar', 'the assassin', 'ass1', 'passé']) {
			expect(matcher.find(clean), clean).toBeUndefined();
		}
		for (const blocked of ['kick ass', 'ass.', '(ass)', 'ASS!', 'an "ass"', 'ass_hat']) {
			expect(matcher.find(blocked), blocked).toBe('ass');
		}
	});

	it('use Unicode letters for word boundaries, not ASCII ones', () => {
		expect(finds(['кот'], 'котенок спит')).toBeUndefined();
		expect(finds(['кот'], 'мой кот спит')).toBe('кот');
		expect(finds(['été'], 'un bel été.')).toBe('été');
		expect(finds(['été'], 'prétéxte')).toBeUndefined();
		// The accent is a separate combining mark in the prompt: NFKC joins it, so the word still ends where it did.
		expect(finds(['cafe'], 'un cafe\u0301 noir')).toBeUndefined();
	});

	it('match terms of several words across any run of spaces', () => {
		expect(finds(['blood  bath'], 'a blood\u3000\u3000bath at noon')).toBe('blood bath');
		expect(finds(['blood bath'], 'a bloodbath at noon')).toBeUndefined();
	});

	it('match CJK terms as substrings, since those scripts put no spaces between words', () => {
		expect(finds(['暴力'], '一个充满暴力的场景')).toBe('暴力');
		expect(finds(['ころす'], 'あいつをころすぞ')).toBe('ころす');
		expect(finds(['ナイフ'], 'ナイフを持った男')).toBe('ナイフ');
		expect(finds(['폭력'], '폭력적인 장면')).toBe('폭력');
		expect(finds(['AV女优'], '一个av女优的视频')).toBe('av女优');
		// Halfwidth katakana read as fullwidth after NFKC.
		expect(finds(['ナイフ'], 'ﾅｲﾌを持った男')).toBe('ナイフ');
	});

	it('find a Latin word that runs straight into CJK text', () => {
		expect(finds(['ass'], '我是ass啊')).toBe('ass');
		expect(finds(['ass'], '我是class啊')).toBeUndefined();
	});

	it('take a term that begins or ends with punctuation as it is, with boundaries only on its letter sides', () => {
		expect(finds(['c++'], 'learning c++ today')).toBe('c++');
		expect(finds(['c++'], 'learning abc++ today')).toBeUndefined();
		expect(finds(['.*'], 'a regex like a.* here')).toBe('.*');
		expect(finds(['.*'], 'nothing here')).toBeUndefined();
	});

	it('report the longest of overlapping terms, and nothing with an empty list or an empty term', () => {
		expect(finds(['blood', 'blood bath'], 'a blood bath')).toBe('blood bath');
		expect(finds([], 'anything at all')).toBeUndefined();
		expect(finds(['\u200B', ' '], 'anything at all')).toBeUndefined();
	});
});

describe('the form terms are stored in', () => {
	it('is NFKC, case folded, without invisible characters, with single spaces and no ends', () => {
		expect(normalizeForMatching('  Ｂｌｏｏｄ\u200B  \t BATH ')).toBe('blood bath');
		expect(normalizeForMatching('\u00AD')).toBe('');
	});
});
