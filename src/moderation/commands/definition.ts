import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ApplicationIntegrationType,
	ChannelType,
	InteractionContextType,
	PermissionFlagsBits,
	type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { TERM_MAX_LENGTH } from '../moderation-settings.js';

const zh = (text: string) => ({ 'zh-CN': text });

const term = (description: string, zhDescription: string) =>
	({
		type: ApplicationCommandOptionType.String,
		name: 'term',
		description,
		description_localizations: zh(zhDescription),
		required: true,
		min_length: 1,
		max_length: TERM_MAX_LENGTH,
	}) as const;

/** The channel types a log can go to: a server's text channels. */
export const LOG_CHANNEL_TYPES = [ChannelType.GuildText] as const;

export const moderationCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'moderation',
	description: 'Block terms in video prompts and keep a log of jobs and admin changes',
	description_localizations: zh('屏蔽视频提示词中的词语，并记录任务和管理变更'),
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
	default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
	options: [
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'block',
			description: 'Refuse prompts containing a term in this server',
			description_localizations: zh('在本服务器拒绝包含某个词的提示词'),
			options: [term('The word or phrase to block', '要屏蔽的词或短语')],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'unblock',
			description: 'Stop blocking a term in this server',
			description_localizations: zh('在本服务器解除对某个词的屏蔽'),
			options: [term('The word or phrase to unblock', '要解除屏蔽的词或短语')],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'list',
			description: 'This server’s blocked terms, the operator’s count, and the log channel',
			description_localizations: zh('查看本服务器的屏蔽词、运营者屏蔽词数量和日志频道'),
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'log',
			description: 'Post job and admin events in a channel; without a channel, stop',
			description_localizations: zh('在某个频道发布任务和管理事件；不选频道则停止'),
			options: [
				{
					type: ApplicationCommandOptionType.Channel,
					name: 'channel',
					description: 'The text channel for the log (empty: turn the log off)',
					description_localizations: zh('日志所用的文字频道（留空则关闭日志）'),
					channel_types: [...LOG_CHANNEL_TYPES],
				},
			],
		},
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
