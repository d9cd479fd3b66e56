import { type APIApplicationCommandBasicOption, ApplicationCommandOptionType } from 'discord.js';
import {
	ASPECT_RATIOS,
	DEFAULT_SETTINGS,
	DURATION_MAX,
	DURATION_MIN,
	PROMPT_MAX_LENGTH,
	RESOLUTIONS,
	SEED_MAX,
} from '../../domain/video.js';

const zh = (text: string) => ({ 'zh-CN': text });

export const promptOption = {
	type: ApplicationCommandOptionType.String,
	name: 'prompt',
	description: 'What the video should show',
	description_localizations: zh('视频要呈现的内容'),
	required: true,
	min_length: 1,
	max_length: PROMPT_MAX_LENGTH,
} as const satisfies APIApplicationCommandBasicOption;

export const resolutionOption = {
	type: ApplicationCommandOptionType.String,
	name: 'resolution',
	description: `Video resolution (default ${DEFAULT_SETTINGS.resolution})`,
	description_localizations: zh(`视频分辨率（默认 ${DEFAULT_SETTINGS.resolution}）`),
	choices: RESOLUTIONS.map((value) => ({ name: value, value })),
} as const satisfies APIApplicationCommandBasicOption;

export const aspectRatioOption = {
	type: ApplicationCommandOptionType.String,
	name: 'aspect_ratio',
	description: `Width to height (default ${DEFAULT_SETTINGS.aspectRatio})`,
	description_localizations: zh(`宽高比（默认 ${DEFAULT_SETTINGS.aspectRatio}）`),
	choices: ASPECT_RATIOS.map((value) => ({ name: value, value })),
} as const satisfies APIApplicationCommandBasicOption;

export const durationOption = {
	type: ApplicationCommandOptionType.Integer,
	name: 'duration',
	description: `Length in seconds, ${DURATION_MIN} to ${DURATION_MAX} (default ${DEFAULT_SETTINGS.duration})`,
	description_localizations: zh(`时长（秒），${DURATION_MIN} 到 ${DURATION_MAX}（默认 ${DEFAULT_SETTINGS.duration}）`),
	min_value: DURATION_MIN,
	max_value: DURATION_MAX,
} as const satisfies APIApplicationCommandBasicOption;

export const audioOption = {
	type: ApplicationCommandOptionType.Boolean,
	name: 'audio',
	description: 'Generate sound too (costs more)',
	description_localizations: zh('同时生成音频（消耗更多额度）'),
} as const satisfies APIApplicationCommandBasicOption;

export const seedOption = {
	type: ApplicationCommandOptionType.Integer,
	name: 'seed',
	description: 'Random seed, to reproduce a result (picked for you if empty)',
	description_localizations: zh('随机种子，用于复现结果（留空则自动选择）'),
	min_value: 0,
	max_value: SEED_MAX,
} as const satisfies APIApplicationCommandBasicOption;

export function attachmentOption(name: string, description: string, descriptionZh: string, required: boolean) {
	return {
		type: ApplicationCommandOptionType.Attachment,
		name,
		description,
		description_localizations: zh(descriptionZh),
		required,
	} as const satisfies APIApplicationCommandBasicOption;
}
