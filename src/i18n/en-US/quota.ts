export const quotaEnUS = {
	'quota.memberRunning':
		'You already have {running} videos being made, and the most at once is {limit}. Try again when one finishes; nothing was charged.',
	'quota.serverRunning':
		'This server already has {running} videos being made, and the most at once is {limit}. Try again when one finishes; nothing was charged.',
	'quota.lineFull':
		'You already have {waiting} videos waiting in line, and the most at once is {limit}. Try again when one starts; nothing was charged.',
	'quota.memberLimitReached':
		'This video would cost {cost} credits, but you have {memberLeft} left this period (the server has {serverLeft}). Your credits reset {resetsAt}. Nothing was submitted.',
	'quota.serverLimitReached':
		'This video would cost {cost} credits, but the server has {serverLeft} left this period (you have {memberLeft}). Credits reset {resetsAt}. Nothing was submitted.',
	'quota.monthlyCapReached':
		'This video would cost {cost} credits, but the server has {serverLeft} left under the bot operator’s monthly cap (you have {memberLeft}). The cap resets {resetsAt}. Nothing was submitted.',
	'quota.billCapReached':
		'This video would cost {cost} credits, but the bot has reached its operator’s monthly limit for all servers together. It resets {resetsAt}. Nothing was submitted.',
	'quota.aboveCap':
		'`{option}` cannot be {credits}: the bot’s operator lets a server spend at most **{cap}** credits per calendar month. Nothing was saved.',
	'quota.creditsInvalid': '`{option}` must be a whole number of credits, 0 or more.',
	'quota.memberNeedsOne': 'Give exactly one of `credits` (their own limit) or `clear: True` (remove it).',
	'quota.roleNeedsOne': 'Give exactly one of `credits` (the role’s limit) or `clear: True` (remove it).',
	'quota.roleEveryone': 'Every member already gets the server’s per-member limit: set it with `/quota set per_user`.',

	'quota.period.day': 'day',
	'quota.period.week': 'week',
	'quota.period.month': 'month',
	'quota.usedOfLimit': '{used} of {limit} used · {left} left',
	'quota.periodUsage': '{used} of {limit} used · {left} left · resets {resetsAt}',
	'quota.capUsage': '{used} of {cap} used this month · resets {resetsAt}',

	'quota.set.saved': 'Saved: this server may spend **{credits}** credits per {period} (UTC).',
	'quota.set.memberDefault':
		'Each member may spend **{credits}** credits per {period}, unless given their own limit with `/quota member`.',
	'quota.set.noMemberDefault': 'Members have no limit of their own beyond the server’s.',
	'quota.set.capApplies':
		'The bot’s operator caps every server at **{cap}** credits per calendar month, and that cap still applies.',

	'quota.member.set':
		'<@{userId}> may now spend **{credits}** credits per {period}, whatever the server’s per-member limit.',
	'quota.member.cleared':
		'<@{userId}> no longer has a limit of their own; the server’s per-member limit applies again.',
	'quota.member.hadNone': '<@{userId}> had no limit of their own; nothing changed.',

	'quota.role.set':
		'Members with <@&{roleId}> may now spend **{credits}** credits per {period}, instead of the server’s per-member limit. A member’s own limit still comes first, and a member with several such roles gets the largest.',
	'quota.role.cleared':
		'<@&{roleId}> no longer has a limit of its own; its members are back to the server’s per-member limit, or another role’s.',
	'quota.role.hadNone': '<@&{roleId}> had no limit of its own; nothing changed.',

	'quota.reset.server': 'This {period}’s usage was reset for the whole server.',
	'quota.reset.member': 'This {period}’s usage was reset for <@{userId}>.',
	'quota.reset.stillHeld': '{credits} credits held by videos still being made stay counted until those videos finish.',
	'quota.reset.capUnchanged': 'The operator’s monthly cap is not reset: it counts everything spent this month.',

	'quota.show.title': 'Video credits for this server',
	'quota.show.serverLimit': 'Server limit',
	'quota.show.setByAdmins': '{credits} credits per {period} (UTC), set by this server’s admins',
	'quota.show.operatorDefault': '{credits} credits per {period} (UTC), the bot’s default (change it with `/quota set`)',
	'quota.show.thisPeriod': 'This {period}',
	'quota.show.perMember': 'Per member',
	'quota.show.perMemberLimit': '{credits} credits per {period} · members with their own limit: {overrides}',
	'quota.show.perMemberNone': 'no limit beyond the server’s · members with their own limit: {overrides}',
	'quota.show.roles': 'Role allowances',
	'quota.show.roleLine': '<@&{roleId}>: {credits} credits per {period}',
	'quota.show.rolesMore': '…and {count} more',
	'quota.show.rolesNone': 'none (give one with `/quota role`)',
	'quota.show.monthlyCap': 'Operator’s monthly cap',
	'quota.show.unknown': 'Unknown outcome',
	'quota.show.unknownValue':
		'{credits} credits this month: submits the video service never confirmed. Members got them back, but the service may have charged for them, so the operator’s cap counts them.',
	'quota.show.running': 'Videos being made',
	'quota.show.runningValue': '{count} (at most {limit} at once)',
	'quota.show.line': 'Waiting in line',
	'quota.show.lineValue': '{count} (at most {limit} per member) · the oldest since {since}',
	'quota.show.lineMember': '<@{userId}>: {count}',
	'quota.show.lineEmpty': 'Nobody is waiting.',
	'quota.show.heaviest': 'Heaviest users this {period}',
	'quota.show.heaviestLimited': '{rank}. <@{userId}>: {used} of {limit}',
	'quota.show.heaviestUnlimited': '{rank}. <@{userId}>: {used}',
	'quota.show.nobodyYet': 'Nobody has used any credits this period.',

	'usage.title': 'Your video credits',
	'usage.available': 'You can spend **{available}** more credits this {period}; it resets {resetsAt}.',
	'usage.you': 'You',
	'usage.youUnlimited': '{used} used · no limit of your own',
	'usage.source.own': 'Your own limit, set by this server’s admins.',
	'usage.source.role': 'Your limit comes with your role <@&{roleId}>.',
	'usage.source.perUser': 'Your limit is this server’s limit per member.',
	'usage.source.operator': 'Your limit is the bot’s default limit per member.',
	'usage.server': 'This server',
	'usage.monthlyCap': 'Monthly cap (set by the bot’s operator)',
	'usage.running': 'Videos being made',
	'usage.runningValue': 'yours: {member} of {memberLimit} · server: {server} of {serverLimit}',
	'usage.waiting': 'Yours waiting in line',
	'usage.waitingValue': '{count} (at most {limit}); their credits are counted above',
} as const;
