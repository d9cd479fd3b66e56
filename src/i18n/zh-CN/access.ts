import type { accessEnUS } from '../en-US/access.js';

export const accessZhCN: Record<keyof typeof accessEnUS, string> = {
	'error.guildNotAllowed': '本机器人在此服务器不可用：运营者未在这里启用它。未扣任何额度。',
	'error.needsManageServer': '只有拥有“管理服务器”权限的成员才能使用 `/{command}`。',
	'button.elsewhere': '此按钮只能在生成该视频的服务器中使用。未扣任何额度。',
	'button.noVideoCommand': '你不能在此频道使用 `/video`，因此此按钮无法在这里为你生成视频。未扣任何额度。',
};
