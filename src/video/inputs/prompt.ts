import { UserError } from '../../domain/errors.js';
import { PROMPT_MAX_LENGTH } from '../../domain/video.js';

/** Trims a prompt and checks its length in code points, so an emoji counts as one character as members expect. */
export function normalizePrompt(raw: string | null | undefined): string {
	const prompt = raw?.trim() ?? '';
	if (prompt === '') throw new UserError('input.promptEmpty');
	const length = [...prompt].length;
	if (length > PROMPT_MAX_LENGTH) throw new UserError('input.promptTooLong', { length, max: PROMPT_MAX_LENGTH });
	return prompt;
}
