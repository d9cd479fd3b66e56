/**
 * The bot's user id, read from its token without asking Discord: a bot token's first part is that id in Base64. Not a
 * secret (the id is public); undefined for a token of another shape.
 */
export function botUserIdOf(token: string): string | undefined {
	const [head = ''] = token.split('.');
	const id = Buffer.from(head, 'base64').toString('utf8');
	return /^\d{17,20}$/.test(id) ? id : undefined;
}
