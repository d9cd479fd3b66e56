import { plainText } from '../../discord/message-limits.js';

/** A term as an admin typed it, shown back as text: markdown and mention-like `<…>` escaped. */
export const shownTerm = (term: string) => plainText(term).replaceAll('<', '\\<');
