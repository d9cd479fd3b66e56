import type { moderationEnUS } from '../en-US/moderation.js';

export const moderationZhCN: Record<keyof typeof moderationEnUS, string> = {
	'moderation.promptBlocked': '你的提示词包含“{term}”，该词在本服务器被屏蔽，因此没有生成视频。未扣任何额度。',
	'moderation.promptBlockedByOperator':
		'你的提示词包含“{term}”，该词被机器人运营者在所有服务器屏蔽，因此没有生成视频。未扣任何额度。',

	'moderation.termEmpty': '去掉不可见字符和空格后，这个词是空的。请给出要屏蔽的词或短语。',
	'moderation.termTooLong': '屏蔽词最多 {max} 个字符。',
	'moderation.tooManyTerms': '本服务器已屏蔽 {max} 个词，已达上限。请先解除一个。',
	'moderation.block.added': '“{term}”已在本服务器屏蔽：包含它的提示词会被拒绝，不论大小写或全角半角。',
	'moderation.block.already': '“{term}”已经在本服务器屏蔽；未做任何更改。',
	'moderation.unblock.removed': '“{term}”已不再在本服务器屏蔽。',
	'moderation.unblock.notBlocked': '“{term}”不在本服务器的屏蔽列表中；未做任何更改。',

	'moderation.log.set': '任务和管理事件将发布到 <#{channelId}>。',
	'moderation.log.off': '审核日志已关闭；不会再向 <#{channelId}> 发布任何内容。',
	'moderation.log.wasOff': '审核日志本来就是关闭的。',
	'moderation.log.notText': '<#{channelId}> 不是本服务器的文字频道，请选择一个文字频道。',
	'moderation.log.cannotPost':
		'机器人无法在 <#{channelId}> 发言：需要该频道的“查看频道”和“发送消息”权限。未做任何更改。',

	'moderation.list.title': '本服务器的审核设置',
	'moderation.list.terms': '屏蔽词（{count}）',
	'moderation.list.noTerms': '暂无。使用 `/moderation block` 添加。',
	'moderation.list.more': '……另有 {count} 个',
	'moderation.list.operator': '机器人运营者屏蔽的词',
	'moderation.list.operatorCount': '{count} 个，适用于所有服务器（运营者的列表不公开）',
	'moderation.list.log': '日志频道',
	'moderation.list.logOff': '关闭。使用 `/moderation log channel:` 开启。',
	'moderation.list.logOn': '<#{channelId}>，由 <@{userId}> 于 {when} 设置',
	'moderation.list.logStopped':
		'<#{channelId}>：已于 {when} 停止，原因是{reason}。在使用 `/moderation log` 重新设置之前不会再发布。',
	'moderation.stopReason.no-access': '机器人无权在该频道发言',
	'moderation.stopReason.unknown-channel': '该频道已不存在',

	'modlog.accepted': '🎬 {member} 开始生成视频 · {mode} · {settings} · 任务 `{jobId}`\n> {prompt}',
	'modlog.done': '✅ {member} 的视频已完成 · 任务 `{jobId}` · {link}',
	'modlog.doneNotPosted':
		'✅ {member} 的视频已完成 · 任务 `{jobId}` · Discord 拒绝了所有发布方式；可在其 `/video jobs` 中查看',
	'modlog.ended': '❌ {member} 的视频：{state} · 任务 `{jobId}` · {reason}',
	'modlog.refusedQuota': '⛔ {member} 的视频请求被拒绝（{mode}）：{reason}',
	'modlog.refusedBlocked': '🚫 {member} 的提示词被拒绝（{mode}）：包含屏蔽词“{term}”。',
	'modlog.refusedBlockedByOperator': '🚫 {member} 的提示词被拒绝（{mode}）：包含机器人运营者屏蔽的词。',
	'modlog.adminChange': '🛠️ {member} 使用了 {command}',
	'modlog.turnedOff': '🛠️ {member} 关闭了审核日志；此后不会再在这里发布。',
	'modlog.dropped': '…… 之前有 {count} 条事件未显示：同一时间的事件超出了频道的承载量。',
	'modlog.cannotPostDm':
		'{server} 的审核日志已停止：机器人无法在 <#{channelId}> 发言，原因是{reason}。机器人能在那里发言后，请使用 `/moderation log` 重新设置。',
};
