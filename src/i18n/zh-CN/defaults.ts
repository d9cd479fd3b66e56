import type { defaultsEnUS } from '../en-US/defaults.js';

export const defaultsZhCN: Record<keyof typeof defaultsEnUS, string> = {
	'defaults.heading': '你生成新视频时，未填写的选项使用以下设置：',
	'defaults.saved': '已保存。你生成新视频时，未填写的选项使用以下设置：',
	'defaults.cleared': '你的默认设置已清除，恢复使用机器人的默认值：',
	'defaults.hadNone': '你没有自己的默认设置，使用机器人的默认值：',
	'defaults.line': '`{option}`：**{value}**（{whose}）',
	'defaults.yours': '你的设置',
	'defaults.product': '机器人默认',
	'defaults.seconds': '{seconds} 秒',
	'defaults.howUsed':
		'它们在所有服务器中适用于 `/video` 和“延长”按钮；`aspect_ratio` 只用于文字生成视频。“重新生成”沿用原视频的设置。`/video settings reset:True` 可清除你的设置。',
	'defaults.resetAlone': '`reset` 会清除你的全部默认设置，请单独使用。',
	'defaults.unreadable':
		'无法读取你保存的默认设置，因此未生成任何内容。请运行 `/video settings reset:True`，然后重新设置。',
};
