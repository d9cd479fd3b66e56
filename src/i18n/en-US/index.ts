import { accessEnUS } from './access.js';
import { defaultsEnUS } from './defaults.js';
import { menusEnUS } from './menus.js';
import { moderationEnUS } from './moderation.js';
import { quotaEnUS } from './quota.js';

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
	'input.typeMismatch': '`{name}` is labelled {claimed}, but the file is actually {actual}.',
	'input.typeMismatchUnknown': '`{name}` is labelled {claimed}, but the file is not in a format we recognise.',
	'input.imageTooLarge': '`{name}` is {sizeMb} MB; images must be under {maxMb} MB.',
	'input.imageUnreadable': '`{name}` could not be read as an image; it may be damaged. Please try another file.',
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
	'job.busyTimedOut':
		'The video service stayed too busy to take this job for {minutes} minutes, so it was not sent. Your credits were returned.',
	'job.resultExpired':
		'The video was made, but Discord could not take it before the video service’s link expired. The credits were spent on it; the operator has been told.',
	'job.creditsReturned': 'Your {credits} credits were returned.',
	'job.cancelled': 'Cancelled while waiting in line, before anything was sent. Your {credits} credits were returned.',
	'job.cancelledByModerator':
		'Cancelled by a moderator while waiting in line, before anything was sent. Your {credits} credits were returned.',
	'job.lineTimedOut':
		'This job waited in line for {minutes} minutes without its turn coming, so it was not sent. Your credits were returned.',

	'progress.waitingForSlot': 'Waiting for the video service (busy); your job will be sent shortly.',
	'progress.submitting': 'Sending the job to the video service…',
	'progress.queued': 'Queued at the video service',
	'progress.rendering': 'Rendering',
	'progress.readyPosting': 'Your video is ready and being posted…',
	'progress.done': 'Done',
	'progress.doneLinkOnly': 'Done (too large to upload here, so posted as a link)',
	'progress.failed': 'Failed',
	'progress.timedOut': 'Timed out',
	'progress.expired': 'Made, but not delivered',
	'progress.inLine': 'Waiting in line: {position}',
	'progress.inLineUnplaced': 'Waiting in line',
	'progress.inLineSince': 'joined the line {time}; it starts when a video ahead of it finishes',
	'progress.cancelled': 'Cancelled',
	'progress.doneLinkRefused': 'Done (Discord refused the upload, so posted as a link)',
	'progress.result': 'Your video: {link}',
	'progress.started': 'started {time}',
	'progress.eta': 'ready {time} (estimate)',
	'progress.etaUnknown': 'no estimate yet',

	'result.heading': '{mention}, your video is ready.',
	'result.linkOnly':
		'The video is over this channel’s upload limit ({limitMb} MB), so here is a link. It expires in about a day: {url}',
	'result.linkRefused': 'Discord did not accept the upload, so here is a link. It expires in about a day: {url}',
	'result.details':
		'Mode: {mode} · {resolution} · {duration}s · {aspect}audio {audio} · seed {seed} · {cost} credits · rendered in {renderTime}',

	'jobs.none': 'You have no video jobs in this server yet.',
	'jobs.heading': 'Your recent video jobs',
	'jobs.state.waiting': 'waiting to be sent',
	'jobs.state.submitting': 'being sent',
	'jobs.state.queued': 'queued',
	'jobs.state.rendering': 'rendering',
	'jobs.state.delivering': 'being posted',
	'jobs.state.succeeded': 'done',
	'jobs.state.failed': 'failed',
	'jobs.state.timed_out': 'timed out',
	'jobs.state.expired': 'made, link expired before it could be posted',
	'jobs.state.in_line': 'waiting in line',
	'jobs.state.cancelled': 'cancelled',
	'jobs.line': '{state} · {mode} · {age} · {prompt}',
	'jobs.link': '[result]({url})',

	'button.reroll': 'Reroll',
	'button.extend': 'Extend',
	'button.delete': 'Delete',
	'button.cancel': 'Cancel',
	'button.cancelRefused': 'Only the member who asked for this video, or someone with Manage Messages, can cancel it.',
	'button.cancelTooLate':
		'This job is no longer waiting in line (it has started or ended), so it can no longer be cancelled.',
	'button.cancelDone': 'Cancelled: nothing was sent, and the {credits} credits were returned.',
	'button.jobGone': 'This video’s job is no longer stored, so it cannot be used again.',
	'button.resultExpired': 'This video’s link at the video service has expired, so it can no longer be extended.',
	'button.deleteRefused': 'Only the member who made this video, or someone with Manage Messages, can delete it.',
	'button.deleted': 'The video was deleted.',
	'button.notReady': 'This video is not finished yet.',
	'modal.extendTitle': 'Extend this video',
	'modal.promptLabel': 'What happens next?',

	'label.prompt': 'Prompt',
	'label.mode.text': 'text to video',
	'label.mode.image': 'image to video',
	'label.mode.frames': 'first and last frame',
	'label.mode.extend': 'extend a video',
	'label.settings': '{resolution} · {duration}s · {aspect}audio {audio} · seed {seed} · {cost} credits',
	'label.on': 'on',
	'label.off': 'off',
	...quotaEnUS,
	...accessEnUS,
	...defaultsEnUS,
	...menusEnUS,
	...moderationEnUS,
} as const;

export type MessageKey = keyof typeof enUS;
