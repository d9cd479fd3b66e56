/** The message commands (right-click a message → Apps). */
export const menusEnUS = {
	'menu.needsImage': 'That message has no image to animate. Use it on a message with an image attached or embedded.',
	'menu.needsVideo':
		'That message has no video to extend. Use it on a message with a video attached, or on a video I made.',
	'menu.targetGone': 'This form is too old to use. Right-click the message again.',
	'menu.animateTitle': 'Animate this image',
	'menu.promptLabel': 'What should happen?',
	'menu.settingsHeading': 'This video will use these settings (change yours with `/video settings`):',
} as const;
