/** The message commands (right-click a message → Apps). */
export const menusEnUS = {
	'menu.needsImage': 'That message has no image to animate. Use it on a message with an image attached or embedded.',
	'menu.needsVideo':
		'That message has no video to extend. Use it on a message with a video attached, or on a video I made.',
	'menu.noVideoCommand':
		'You cannot use `/video` in this channel, so this cannot make a video for you here. Nothing was spent.',
	'menu.targetGone': 'This form is too old to use. Right-click the message again.',
	'menu.animateTitle': 'Animate this image',
	'menu.extendTitle': 'Extend this video',
	'menu.promptLabel': 'What should happen?',
	'menu.settingsHeading': 'This video will use these settings (change yours with `/video settings`):',
} as const;
