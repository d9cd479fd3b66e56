/** `/video settings`: a member's own defaults. */
export const defaultsEnUS = {
	'defaults.heading': 'New videos you make use these settings unless you give the option:',
	'defaults.saved': 'Saved. New videos you make use these settings unless you give the option:',
	'defaults.cleared': 'Your defaults were cleared; the bot’s apply again:',
	'defaults.hadNone': 'You had no defaults of your own; the bot’s apply:',
	'defaults.line': '`{option}`: **{value}** ({whose})',
	'defaults.yours': 'yours',
	'defaults.product': 'the bot’s default',
	'defaults.seconds': '{seconds}s',
	'defaults.howUsed':
		'They apply in every server, to `/video` and to the Extend button; `aspect_ratio` only to text videos. Reroll keeps the settings of the video it rerolls. `/video settings reset:True` clears yours.',
	'defaults.resetAlone': '`reset` clears all your defaults, so give it on its own.',
	'defaults.unreadable':
		'Your saved defaults could not be read, so nothing was made. Run `/video settings reset:True`, then set them again.',
} as const;
