import { UserError } from '../../domain/errors.js';

/** Discord enforces `min_value`, but a client can send anything. */
export function requireCreditAmount(value: number, option: string): number {
	if (!Number.isSafeInteger(value) || value < 0) throw new UserError('quota.creditsInvalid', { option });
	return value;
}
