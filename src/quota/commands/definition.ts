import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ApplicationIntegrationType,
	InteractionContextType,
	PermissionFlagsBits,
	type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { QUOTA_PERIODS } from '../../domain/quota.js';
import { translate } from '../../i18n/index.js';

const zh = (text: string) => ({ 'zh-CN': text });

export const quotaCommand = {
	type: ApplicationCommandType.ChatInput,
	name: 'quota',
	description: 'Set how many video credits this server may spend',
	description_localizations: zh('设置本服务器可使用的视频额度'),
	contexts: [InteractionContextType.Guild],
	integration_types: [ApplicationIntegrationType.GuildInstall],
	default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
	options: [
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'show',
			description: 'This server’s limits, period, usage and heaviest users',
			description_localizations: zh('查看本服务器的额度、周期、用量和用量最多的成员'),
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'set',
			description: 'Set the server’s limit per period and the default limit for each member',
			description_localizations: zh('设置服务器每周期的额度和每位成员的默认额度'),
			options: [
				{
					type: ApplicationCommandOptionType.Integer,
					name: 'credits',
					description: 'Credits the whole server may spend per period',
					description_localizations: zh('整个服务器每周期可用的额度'),
					required: true,
					min_value: 0,
				},
				{
					type: ApplicationCommandOptionType.String,
					name: 'period',
					description: 'How often usage starts again (UTC)',
					description_localizations: zh('用量多久清零一次（UTC）'),
					required: true,
					choices: QUOTA_PERIODS.map((period) => ({
						name: period,
						name_localizations: zh(translate('zh-CN', `quota.period.${period}`)),
						value: period,
					})),
				},
				{
					type: ApplicationCommandOptionType.Integer,
					name: 'per_user',
					description: 'Default credits per member per period (empty: no member limit)',
					description_localizations: zh('每位成员每周期的默认额度（留空则不限）'),
					min_value: 0,
				},
			],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'member',
			description: 'Give one member their own limit, or clear it',
			description_localizations: zh('为某位成员单独设置额度，或清除'),
			options: [
				{
					type: ApplicationCommandOptionType.User,
					name: 'user',
					description: 'The member',
					description_localizations: zh('成员'),
					required: true,
				},
				{
					type: ApplicationCommandOptionType.Integer,
					name: 'credits',
					description: 'Their credits per period',
					description_localizations: zh('该成员每周期的额度'),
					min_value: 0,
				},
				{
					type: ApplicationCommandOptionType.Boolean,
					name: 'clear',
					description: 'Remove their own limit (the server default applies again)',
					description_localizations: zh('移除单独额度（恢复服务器默认）'),
				},
			],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'role',
			description: 'Give members with a role their own limit, or clear it',
			description_localizations: zh('为拥有某身份组的成员设置额度，或清除'),
			options: [
				{
					type: ApplicationCommandOptionType.Role,
					name: 'role',
					description: 'The role',
					description_localizations: zh('身份组'),
					required: true,
				},
				{
					type: ApplicationCommandOptionType.Integer,
					name: 'credits',
					description: 'Credits per period for each member with this role (replaces per_user)',
					description_localizations: zh('该身份组每位成员每周期的额度（取代 per_user）'),
					min_value: 0,
				},
				{
					type: ApplicationCommandOptionType.Boolean,
					name: 'clear',
					description: 'Remove the role’s limit',
					description_localizations: zh('移除该身份组的额度'),
				},
			],
		},
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'reset',
			description: 'Zero this period’s usage, for the server or one member',
			description_localizations: zh('清零本周期用量（整个服务器或某位成员）'),
			options: [
				{
					type: ApplicationCommandOptionType.User,
					name: 'user',
					description: 'Only this member',
					description_localizations: zh('仅此成员'),
				},
			],
		},
	],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
