import type { quotaEnUS } from '../en-US/quota.js';

export const quotaZhCN: Record<keyof typeof quotaEnUS, string> = {
	'quota.memberRunning': '你已有 {running} 个视频正在生成，同时最多 {limit} 个。请等其中一个完成后再试；本次未扣额度。',
	'quota.serverRunning':
		'本服务器已有 {running} 个视频正在生成，同时最多 {limit} 个。请等其中一个完成后再试；本次未扣额度。',
	'quota.lineFull': '你已有 {waiting} 个视频在排队，同时最多排队 {limit} 个。请等其中一个开始后再试；本次未扣额度。',
	'quota.memberLimitReached':
		'此视频需要 {cost} 点额度，但你本周期只剩 {memberLeft} 点（服务器剩 {serverLeft} 点）。你的额度将于 {resetsAt} 重置。任务未提交。',
	'quota.serverLimitReached':
		'此视频需要 {cost} 点额度，但服务器本周期只剩 {serverLeft} 点（你剩 {memberLeft} 点）。额度将于 {resetsAt} 重置。任务未提交。',
	'quota.monthlyCapReached':
		'此视频需要 {cost} 点额度，但在机器人运营者设定的每月上限下，服务器只剩 {serverLeft} 点（你剩 {memberLeft} 点）。上限将于 {resetsAt} 重置。任务未提交。',
	'quota.billCapReached':
		'此视频需要 {cost} 点额度，但本机器人在所有服务器本月的总用量已达运营者设定的上限。上限将于 {resetsAt} 重置。任务未提交。',
	'quota.aboveCap':
		'`{option}` 不能设为 {credits}：机器人运营者规定每个服务器每自然月最多使用 **{cap}** 点额度。未做任何保存。',
	'quota.creditsInvalid': '`{option}` 必须是 0 或以上的整数额度。',
	'quota.memberNeedsOne': '请只提供 `credits`（单独额度）或 `clear: True`（移除单独额度）中的一个。',
	'quota.roleNeedsOne': '请只提供 `credits`（身份组额度）或 `clear: True`（移除身份组额度）中的一个。',
	'quota.roleEveryone': '每位成员本来就适用服务器的每人额度：请用 `/quota set per_user` 设置。',

	'quota.period.day': '天',
	'quota.period.week': '周',
	'quota.period.month': '月',
	'quota.usedOfLimit': '已用 {used} / {limit} · 剩余 {left}',
	'quota.periodUsage': '已用 {used} / {limit} · 剩余 {left} · {resetsAt}重置',
	'quota.capUsage': '本月已用 {used} / {cap} · {resetsAt}重置',

	'quota.set.saved': '已保存：本服务器每{period}（UTC）可用 **{credits}** 点额度。',
	'quota.set.memberDefault': '每位成员每{period}可用 **{credits}** 点额度，除非用 `/quota member` 单独设置。',
	'quota.set.noMemberDefault': '成员没有单独上限，只受服务器额度限制。',
	'quota.set.capApplies': '机器人运营者为每个服务器设定了每自然月 **{cap}** 点的上限，该上限仍然有效。',

	'quota.member.set': '<@{userId}> 现在每{period}可用 **{credits}** 点额度，不受服务器每人额度影响。',
	'quota.member.cleared': '<@{userId}> 的单独额度已移除，恢复使用服务器的每人额度。',
	'quota.member.hadNone': '<@{userId}> 没有单独额度，未做更改。',

	'quota.role.set':
		'拥有 <@&{roleId}> 的成员现在每{period}可用 **{credits}** 点额度，取代服务器的每人额度。成员的单独额度仍然优先；拥有多个此类身份组的成员按其中最大的额度计算。',
	'quota.role.cleared': '<@&{roleId}> 的身份组额度已移除，其成员恢复使用服务器的每人额度或其他身份组的额度。',
	'quota.role.hadNone': '<@&{roleId}> 没有身份组额度，未做更改。',

	'quota.reset.server': '已清零整个服务器本{period}的用量。',
	'quota.reset.member': '已清零 <@{userId}> 本{period}的用量。',
	'quota.reset.stillHeld': '仍在生成中的视频占用的 {credits} 点额度会继续计入，直到这些视频完成。',
	'quota.reset.capUnchanged': '运营者的每月上限不会被清零：它统计本月的全部用量。',

	'quota.show.title': '本服务器的视频额度',
	'quota.show.serverLimit': '服务器额度',
	'quota.show.setByAdmins': '每{period}（UTC）{credits} 点，由本服务器管理员设置',
	'quota.show.operatorDefault': '每{period}（UTC）{credits} 点，机器人默认值（可用 `/quota set` 修改）',
	'quota.show.thisPeriod': '本{period}',
	'quota.show.perMember': '每位成员',
	'quota.show.perMemberLimit': '每{period} {credits} 点 · {overrides} 位成员有单独额度',
	'quota.show.perMemberNone': '只受服务器额度限制 · {overrides} 位成员有单独额度',
	'quota.show.roles': '身份组额度',
	'quota.show.roleLine': '<@&{roleId}>：每{period} {credits} 点',
	'quota.show.rolesMore': '……另有 {count} 个',
	'quota.show.rolesNone': '无（可用 `/quota role` 设置）',
	'quota.show.monthlyCap': '运营者每月上限',
	'quota.show.unknown': '结果未知',
	'quota.show.unknownValue':
		'本月 {credits} 点：视频服务未确认的提交。额度已退还给成员，但视频服务可能已计费，因此计入运营者的上限。',
	'quota.show.running': '正在生成的视频',
	'quota.show.runningValue': '{count} 个（同时最多 {limit} 个）',
	'quota.show.line': '排队等候',
	'quota.show.lineValue': '{count} 个（每位成员最多 {limit} 个）· 最早的自{since}起',
	'quota.show.lineMember': '<@{userId}>：{count} 个',
	'quota.show.lineEmpty': '没有人在排队。',
	'quota.show.heaviest': '本{period}用量最多的成员',
	'quota.show.heaviestLimited': '{rank}. <@{userId}>：{used} / {limit}',
	'quota.show.heaviestUnlimited': '{rank}. <@{userId}>：{used}',
	'quota.show.nobodyYet': '本周期还没有人使用额度。',

	'usage.title': '你的视频额度',
	'usage.available': '本{period}你还可以使用 **{available}** 点额度，{resetsAt}重置。',
	'usage.you': '你',
	'usage.youUnlimited': '已用 {used} · 没有单独上限',
	'usage.source.own': '这是本服务器管理员为你单独设置的额度。',
	'usage.source.role': '你的额度来自你的身份组 <@&{roleId}>。',
	'usage.source.perUser': '你的额度是本服务器的每人额度。',
	'usage.source.operator': '你的额度是机器人默认的每人额度。',
	'usage.server': '本服务器',
	'usage.monthlyCap': '每月上限（由机器人运营者设定）',
	'usage.running': '正在生成的视频',
	'usage.runningValue': '你的：{member} / {memberLimit} · 服务器：{server} / {serverLimit}',
	'usage.waiting': '你在排队的视频',
	'usage.waitingValue': '{count} 个（最多 {limit} 个）；其额度已计入上方',
};
