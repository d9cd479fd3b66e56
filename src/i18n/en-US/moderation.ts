/** `/moderation`, prompts refused for a blocked term, and the lines of a server's moderation log. */
export const moderationEnUS = {
	'moderation.promptBlocked':
		'Your prompt contains “{term}”, which is blocked in this server, so no video was made. Nothing was charged.',
	'moderation.promptBlockedByOperator':
		'Your prompt contains “{term}”, which the bot’s operator blocks in every server, so no video was made. Nothing was charged.',

	'moderation.termEmpty':
		'That term is empty once invisible characters and spaces are taken out. Give a word or phrase to block.',
	'moderation.termTooLong': 'A term can be at most {max} characters long.',
	'moderation.tooManyTerms': 'This server already blocks {max} terms, the most it can. Unblock one first.',
	'moderation.block.added':
		'“{term}” is now blocked in this server: prompts containing it are refused, whatever the case or width of its letters.',
	'moderation.block.already': '“{term}” was already blocked in this server; nothing changed.',
	'moderation.unblock.removed': '“{term}” is no longer blocked in this server.',
	'moderation.unblock.notBlocked': '“{term}” is not on this server’s list; nothing changed.',

	'moderation.log.set': 'Job and admin events will be posted in <#{channelId}>.',
	'moderation.log.off': 'The moderation log is off; nothing more is posted in <#{channelId}>.',
	'moderation.log.wasOff': 'The moderation log was already off.',
	'moderation.log.notText': '<#{channelId}> is not a text channel of this server. Pick one.',
	'moderation.log.cannotPost':
		'The bot cannot post in <#{channelId}>: it needs View Channel and Send Messages there. Nothing was changed.',

	'moderation.list.title': 'Moderation in this server',
	'moderation.list.terms': 'Blocked terms ({count})',
	'moderation.list.noTerms': 'None yet. Add one with `/moderation block`.',
	'moderation.list.more': '…and {count} more',
	'moderation.list.operator': 'Blocked by the bot’s operator',
	'moderation.list.operatorCount': '{count} terms, in every server (the operator’s list is not shown)',
	'moderation.list.log': 'Log channel',
	'moderation.list.logOff': 'Off. Turn it on with `/moderation log channel:`.',
	'moderation.list.logOn': '<#{channelId}>, set by <@{userId}> {when}',
	'moderation.list.logStopped':
		'<#{channelId}>: stopped {when} because {reason}. Nothing is posted there until it is set again with `/moderation log`.',
	'moderation.stopReason.no-access': 'the bot may not post there',
	'moderation.stopReason.unknown-channel': 'the channel no longer exists',

	'modlog.accepted': '🎬 {member} started a video · {mode} · {settings} · job `{jobId}`\n> {prompt}',
	'modlog.done': '✅ {member}’s video is done · job `{jobId}` · {link}',
	'modlog.doneNotPosted':
		'✅ {member}’s video is done · job `{jobId}` · Discord refused every post; it is in their `/video jobs`',
	'modlog.ended': '❌ {member}’s video: {state} · job `{jobId}` · {reason}',
	'modlog.refusedQuota': '⛔ {member} was refused a video ({mode}): {reason}',
	'modlog.refusedBlocked': '🚫 {member}’s prompt was refused ({mode}): it contains the blocked term “{term}”.',
	'modlog.refusedBlockedByOperator':
		'🚫 {member}’s prompt was refused ({mode}): it contains a term the bot’s operator blocks.',
	'modlog.adminChange': '🛠️ {member} used {command}',
	'modlog.turnedOff': '🛠️ {member} turned the moderation log off; nothing more is posted here.',
	'modlog.dropped': '… {count} earlier events are not shown: more came at once than the channel can take.',
	'modlog.cannotPostDm':
		'The moderation log of {server} is stopped: the bot could not post in <#{channelId}> because {reason}. Set it again with `/moderation log` once the bot can post there.',
} as const;
