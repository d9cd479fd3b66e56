/**
 * Characters that show nothing and split nothing a reader sees, so they can hide a term inside a word: zero-width
 * space, non-joiner and joiner, word joiner, the byte-order mark, and the soft hyphen (shown only at a line break).
 */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;
const SPACES = /\s+/gu;

/**
 * The one form prompts and terms are compared in: invisible characters removed, NFKC (fullwidth and styled letters,
 * ligatures and compatibility forms become plain ones), case folded (upper then lower, so `ß` and `SS` meet, and
 * `ς` and `Σ`), runs of spaces made one.
 */
export function normalizeForMatching(text: string): string {
	return text
		.replace(INVISIBLE, '')
		.normalize('NFKC')
		.toUpperCase()
		.toLowerCase()
		.normalize('NFKC')
		.replace(SPACES, ' ')
		.trim();
}
