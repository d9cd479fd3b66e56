/** Where and by whom the bot may be used, and so charged. */
export const accessEnUS = {
	'error.guildNotAllowed':
		'This bot is not available in this server: its operator has not enabled it here. Nothing was charged.',
	'error.needsManageServer': 'Only members with the Manage Server permission can use `/{command}`.',
	'button.elsewhere': 'This button works only in the server where the video was made. Nothing was charged.',
	'button.noVideoCommand':
		'You cannot use `/video` in this channel, so this button cannot make a video for you here. Nothing was charged.',
} as const;
