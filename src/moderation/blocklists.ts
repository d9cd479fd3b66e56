import { cut, length, plainText } from '../discord/message-limits.js';
import { UserError } from '../domain/errors.js';
import type { VideoMode } from '../domain/video.js';
import { normalizeForMatching } from './matching/normalize.js';
import { TermMatcher } from './matching/term-matcher.js';
import type { ModerationRecords } from './moderation-records.js';
import { MAX_TERMS_PER_SERVER, TERM_MAX_LENGTH } from './moderation-settings.js';

/** A prompt about to become a job, and who asked for it. */
export interface PromptToScreen {
	guildId: string;
	userId: string;
	mode: VideoMode;
	prompt: string;
}

/** Whose list a blocked term is on: the operator's (every server) or the server's own. */
export type BlockedBy = 'operator' | 'server';

export type BlockedPromptReport = (prompt: PromptToScreen, term: string, by: BlockedBy) => void;

// The member typed the term, so naming it (privately) tells them nothing new and shows what to change; it is cut
// and escaped because operators' terms have no length limit and any term may hold markdown.
const shown = (term: string) => plainText(cut(term, TERM_MAX_LENGTH));

/**
 * The operator's terms (from BLOCKLIST_FILE, every server) and each server's own. A prompt containing either is
 * refused before any credit is reserved, privately, and reported to the server's log.
 */
export class Blocklists {
	readonly #operator: TermMatcher;

	constructor(
		private readonly records: ModerationRecords,
		operatorTerms: readonly string[],
		private readonly report: BlockedPromptReport,
	) {
		this.#operator = new TermMatcher(operatorTerms);
	}

	/** Distinct terms the operator blocks in every server; the terms themselves are never shown. */
	get operatorTermCount(): number {
		return this.#operator.size;
	}

	/** Throws the member's refusal when the prompt contains a blocked term. */
	async screen(prompt: PromptToScreen): Promise<void> {
		const operatorTerm = this.#operator.find(prompt.prompt);
		if (operatorTerm !== undefined) {
			this.report(prompt, operatorTerm, 'operator');
			throw new UserError('moderation.promptBlockedByOperator', { term: shown(operatorTerm) });
		}
		const { terms } = await this.records.get(prompt.guildId);
		const serverTerm = new TermMatcher(terms).find(prompt.prompt);
		if (serverTerm !== undefined) {
			this.report(prompt, serverTerm, 'server');
			throw new UserError('moderation.promptBlocked', { term: shown(serverTerm) });
		}
	}

	/** Adds a term to the server's list, as it is matched; `added` is false when it was there already. */
	async block(guildId: string, raw: string): Promise<{ term: string; added: boolean }> {
		const term = checkedTerm(raw);
		let added = false;
		await this.records.update(guildId, (current) => {
			if (current.terms.includes(term)) return undefined;
			if (current.terms.length >= MAX_TERMS_PER_SERVER) {
				throw new UserError('moderation.tooManyTerms', { max: MAX_TERMS_PER_SERVER });
			}
			added = true;
			return { ...current, terms: [...current.terms, term] };
		});
		return { term, added };
	}

	async unblock(guildId: string, raw: string): Promise<{ term: string; removed: boolean }> {
		const term = checkedTerm(raw);
		let removed = false;
		await this.records.update(guildId, (current) => {
			if (!current.terms.includes(term)) return undefined;
			removed = true;
			return { ...current, terms: current.terms.filter((kept) => kept !== term) };
		});
		return { term, removed };
	}
}

/** Discord keeps a term to 1–100 characters, but a client can send anything; the stored form is checked too. */
function checkedTerm(raw: string): string {
	const term = normalizeForMatching(raw);
	if (term === '') throw new UserError('moderation.termEmpty');
	if (length(raw) > TERM_MAX_LENGTH || length(term) > TERM_MAX_LENGTH) {
		throw new UserError('moderation.termTooLong', { max: TERM_MAX_LENGTH });
	}
	return term;
}
