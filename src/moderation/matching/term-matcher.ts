import { normalizeForMatching } from './normalize.js';

/**
 * Scripts written without spaces between words (or, in Korean, with particles joined to nouns): a term in them can
 * only be found as a substring. Script extensions, so marks shared by kana and Han (`ー`, `々`) count too.
 */
const UNSPACED_SCRIPTS = ['Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo', 'Thai', 'Lao', 'Khmer', 'Myanmar'];
const unspaced = UNSPACED_SCRIPTS.map((script) => `\\p{scx=${script}}`).join('');
/**
 * A character that continues a word of a spaced script. Letters of unspaced scripts are left out, so `ass` is still a
 * word in `我是ass`, where Chinese runs into Latin with no space.
 */
const WORD_CHARACTER = `[[\\p{L}\\p{N}\\p{M}]--[${unspaced}]]`;
const isWordCharacter = new RegExp(`^${WORD_CHARACTER}$`, 'v');
const hasUnspacedCharacter = new RegExp(`[${unspaced}]`, 'v');

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/**
 * A term in a spaced script matches as a whole word: where it starts or ends with a letter or digit, the prompt may not
 * run on into another there (`ass` never matches `class`); a side that is punctuation (`c++`) needs no boundary. A
 * term with any character of an unspaced script matches anywhere.
 */
function termPattern(term: string): string {
	const escaped = escapeRegExp(term);
	if (hasUnspacedCharacter.test(term)) return escaped;
	const characters = [...term];
	const before = isWordCharacter.test(characters[0] ?? '') ? `(?<!${WORD_CHARACTER})` : '';
	const after = isWordCharacter.test(characters.at(-1) ?? '') ? `(?!${WORD_CHARACTER})` : '';
	return `${before}${escaped}${after}`;
}

/** Finds blocked terms in prompts; built once per list of terms, which it normalises as prompts are. */
export class TermMatcher {
	readonly #pattern: RegExp | undefined;
	/** Distinct terms once normalised. */
	readonly size: number;

	constructor(terms: Iterable<string>) {
		const normalized = new Set([...terms].map(normalizeForMatching).filter((term) => term !== ''));
		this.size = normalized.size;
		// Longest first, so the term reported is the most telling one when several overlap.
		const patterns = [...normalized].sort((a, b) => b.length - a.length).map(termPattern);
		this.#pattern = patterns.length === 0 ? undefined : new RegExp(patterns.join('|'), 'v');
	}

	/** The blocked term the text contains (in its normalised form), or undefined. */
	find(text: string): string | undefined {
		return this.#pattern?.exec(normalizeForMatching(text))?.[0];
	}
}
