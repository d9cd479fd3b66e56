import type { menusEnUS } from '../en-US/menus.js';

export const menusZhCN: Record<keyof typeof menusEnUS, string> = {
	'menu.needsImage': '这条消息里没有可以动起来的图片。请对附有或嵌入图片的消息使用。',
	'menu.needsVideo': '这条消息里没有可以延长的视频。请对附有视频的消息或我生成的视频使用。',
	'menu.noVideoCommand': '你不能在此频道使用 `/video`，因此无法在这里为你生成视频。未扣任何额度。',
	'menu.targetGone': '这个表单已过期。请重新右键点击那条消息。',
	'menu.animateTitle': '让这张图动起来',
	'menu.extendTitle': '延长这段视频',
	'menu.promptLabel': '希望发生什么？',
	'menu.settingsHeading': '这段视频将使用以下设置（可用 `/video settings` 修改你的设置）：',
};
