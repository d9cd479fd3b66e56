import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ApplicationIntegrationType,
	InteractionContextType,
	type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import {
	aspectRatioOption,
	attachmentOption,
	audioOption,
	durationOption,
	promptOption,
	resolutionOption,
	seedOption,
} from './definition-options.js';

const commonSettings = [resolutionOption, durationOption, audioOption, seedOption] as const;

export const videoCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'video',
	description: 'Make a short AI video',
	description_localizations: { 'zh-CN': '生成一段 AI 短视频' },
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
	options: [
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'text',
			description: 'Make a video from a text prompt',
			description_localizations: { 'zh-CN': '根据文字描述生成视频' },
			options: [promptOption, resolutionOption, aspectRatioOption, durationOption, audioOption, seedOption],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'image',
			description: 'Animate a reference image',
			description_localizations: { 'zh-CN': '让一张参考图动起来' },
			options: [
				attachmentOption(
					'image',
					'The reference image (PNG, JPEG or WebP, under 20 MB)',
					'参考图（PNG、JPEG 或 WebP，小于 20 MB）',
					true,
				),
				promptOption,
				...commonSettings,
			],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'frames',
			description: 'Make a video that moves from a first frame to a last frame',
			description_localizations: { 'zh-CN': '根据首帧和尾帧生成视频' },
			options: [
				attachmentOption('first', 'The first frame (PNG, JPEG or WebP)', '首帧图片（PNG、JPEG 或 WebP）', true),
				attachmentOption('last', 'The last frame (PNG, JPEG or WebP)', '尾帧图片（PNG、JPEG 或 WebP）', true),
				promptOption,
				...commonSettings,
			],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'extend',
			description: 'Continue an existing video',
			description_localizations: { 'zh-CN': '延长一段已有视频' },
			options: [
				promptOption,
				attachmentOption('video', 'The video to extend (MP4, MOV or WebM)', '要延长的视频（MP4、MOV 或 WebM）', false),
				{
					type: ApplicationCommandOptionType.String,
					name: 'url',
					description: 'Or an https link to the video to extend',
					description_localizations: { 'zh-CN': '或者要延长的视频的 https 链接' },
				},
				...commonSettings,
			],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'settings',
			description: 'Your own defaults for new videos: set them, see them, or reset them',
			description_localizations: { 'zh-CN': '你生成新视频的默认设置：设置、查看或清除' },
			options: [
				resolutionOption,
				aspectRatioOption,
				durationOption,
				audioOption,
				{
					type: ApplicationCommandOptionType.Boolean,
					name: 'reset',
					description: 'Clear your defaults (the bot’s apply again)',
					description_localizations: { 'zh-CN': '清除你的默认设置（恢复机器人的默认值）' },
				},
			],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'usage',
			description: 'Your and this server’s credits used and left this period',
			description_localizations: { 'zh-CN': '查看你和本服务器本周期已用与剩余的额度' },
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'jobs',
			description: 'Your recent video jobs in this server',
			description_localizations: { 'zh-CN': '你在本服务器最近的视频任务' },
		},
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
