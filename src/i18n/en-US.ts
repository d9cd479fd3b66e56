export const enUS = {
	'error.generic': 'Something went wrong on our side. Please try again in a moment.',
	'error.guildOnly': 'This command only works in a server.',
	'error.unknownCommand': 'This command is not available any more.',

	'input.promptEmpty': 'The prompt is empty. Describe the video you want.',
	'input.promptTooLong': 'The prompt is {length} characters long; the most is {max}.',
	'input.durationRange': 'The duration must be a whole number of seconds from {min} to {max}.',
	'input.seedRange': 'The seed must be a whole number from 0 to {max}.',
	'input.choiceInvalid': '`{value}` is not a valid {option}.',
	'input.attachmentMissing': 'The `{name}` attachment is missing.',
	'input.attachmentEmpty': 'The `{name}` attachment is empty.',
	'input.notImage': '`{name}` is not a PNG, JPEG or WebP image.',
	'input.notVideo': '`{name}` is not an MP4, MOV or WebM video.',
	'input.typeMismatch': '`{name}` claims to be {claimed}, but its contents are {actual}.',
	'input.imageTooLarge': '`{name}` is {sizeMb} MB; images must be under {maxMb} MB.',
	'input.videoTooLarge': '`{name}` is {sizeMb} MB; videos must be under {maxMb} MB.',
	'input.downloadFailed': 'Could not download `{name}` from Discord. Please try again.',
	'input.extendNeedsOne': 'Give exactly one of `video` (an attachment) or `url` (a link).',
	'input.urlInvalid': '`{url}` is not a valid link.',
	'input.urlNotHttps': 'The link must start with https://.',
	'input.urlPrivate': 'The link points at a private or local address, which the video service cannot reach.',

	'job.refused': 'The video service refused this job: {reason}',
	'job.failed': 'The video could not be made: {reason}',
	'job.authProblem': 'The video service is not accepting this bot right now. The operator has been told.',
	'job.spendLimit': 'The video service has paused this bot (spend limit or access rule). The operator has been told.',
	'job.providerDown': 'The video service is not answering right now. Please try again in a few minutes.',
	'job.outcomeUnknown':
		'The video service did not confirm this job, so it was stopped and your credits were returned. Please try again.',
	'job.timedOut': 'The video took longer than {minutes} minutes and was stopped. Your credits were returned.',
	'job.creditsReturned': 'Your {credits} credits were returned.',

	'progress.waitingForSlot': 'Waiting for the video service (busy); your job will be sent shortly.',
	'progress.submitting': 'Sending the job to the video service…',
	'progress.queued': 'Queued at the video service',
	'progress.rendering': 'Rendering',
	'progress.downloading': 'Finished, fetching the video…',
	'progress.posting': 'Posting the video…',
	'progress.done': 'Done: {link}',
	'progress.doneLinkOnly': 'Done: the video was too large to upload here, so it is linked: {link}',
	'progress.failed': 'Failed',
	'progress.started': 'started {time}',
	'progress.eta': 'ready {time} (estimate)',
	'progress.etaUnknown': 'no estimate yet',

	'result.heading': '{mention}, your video is ready.',
	'result.linkOnly':
		'The video is over this channel’s upload limit ({limitMb} MB), so here is a link. It expires in about a day: {url}',
	'result.details':
		'Mode: {mode} · {resolution} · {duration}s · seed {seed} · {cost} credits · rendered in {renderTime}',

	'label.prompt': 'Prompt',
	'label.mode.text': 'text to video',
	'label.mode.image': 'image to video',
	'label.mode.frames': 'first and last frame',
	'label.mode.extend': 'extend a video',
	'label.settings': '{resolution} · {duration}s · {aspect}audio {audio} · seed {seed} · {cost} credits',
	'label.on': 'on',
	'label.off': 'off',
} as const;

export type MessageKey = keyof typeof enUS;
