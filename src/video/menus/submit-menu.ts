import type { ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../../domain/errors.js';
import type { VideoInput } from '../../domain/video.js';
import type { SupportedLocale } from '../../i18n/index.js';
import { interactionRef } from '../../interactions/interaction-ref.js';
import { memberRoleIds } from '../../interactions/member-role-ids.js';
import type { ComponentAccessCheck } from '../buttons/component-access.js';
import type { VideoInputs } from '../commands/create.js';
import { NO_EXPLICIT_OPTIONS } from '../defaults/member-defaults.js';
import type { VideoDefaults } from '../defaults/video-defaults.js';
import { checkVideoAttachment } from '../inputs/check-video-attachment.js';
import { normalizePrompt } from '../inputs/prompt.js';
import { extendDraft } from '../jobs/job-replay.js';
import type { JobService } from '../jobs/job-service.js';
import type { JobStore } from '../jobs/job-store.js';
import type { MenuCustomId } from './menu-custom-id.js';
import type { MenuTarget } from './menu-target.js';
import type { MenuTargetStore } from './menu-target-store.js';
import { MENU_PROMPT_FIELD } from './open-menu.js';

export interface MenuSubmitDeps {
	jobs: JobService;
	access: Pick<ComponentAccessCheck, 'mayRunVideo'>;
	jobStore: JobStore;
	defaults: VideoDefaults;
	targets: MenuTargetStore;
	inputs: VideoInputs;
}

interface SubmitContext {
	interaction: ModalSubmitInteraction;
	guildId: string;
	parsed: MenuCustomId;
	locale: SupportedLocale;
}

/** Downloads wait until the job's credits are held, as with `/video image` and `/video extend`. */
function inputFor(target: Exclude<MenuTarget, { jobId: string }>, { images, limits }: VideoInputs) {
	if (target.mode === 'image') {
		const { image } = target;
		return async (): Promise<VideoInput> => ({ mode: 'image', image: await images.prepare(image, 'image') });
	}
	const { video } = target;
	return async (): Promise<VideoInput> => ({
		mode: 'extend',
		videoUrl: await checkVideoAttachment(video, 'video', {
			maxBytes: limits.maxVideoBytes,
			downloadTimeoutMs: limits.downloadTimeoutMs,
			dispatcher: limits.dispatcher,
		}),
	});
}

/** The prompt modal's answer: the job `/video image` or `/video extend` would run, given no options. */
export function createMenuSubmit({ jobs, access, jobStore, defaults, targets, inputs }: MenuSubmitDeps) {
	return async ({ interaction, guildId, parsed, locale }: SubmitContext): Promise<void> => {
		const userId = interaction.user.id;
		const channelId = interaction.channelId ?? parsed.channelId;
		// The menus are commands of their own, but they spend as `/video` does: where it is off, they are too.
		if (!interaction.inGuild() || !(await access.mayRunVideo(interaction, channelId))) {
			throw new UserError('menu.noVideoCommand');
		}
		const target = await targets.get(userId, parsed.messageId, parsed.mode);
		if (!target) throw new UserError('menu.targetGone');
		const prompt = normalizePrompt(interaction.fields.getTextInputValue(MENU_PROMPT_FIELD));
		const settings = await defaults.settingsFor(userId, NO_EXPLICIT_OPTIONS, target.mode);
		const by = {
			userId,
			roleIds: memberRoleIds(interaction),
			channelId,
			locale,
			interaction: interactionRef(interaction),
		};
		if ('jobId' in target) {
			const job = await jobStore.get(target.jobId);
			if (!job) throw new UserError('button.jobGone');
			if (job.guildId !== guildId) throw new UserError('button.elsewhere');
			await jobs.accept(extendDraft(job, by, settings, prompt, interaction.createdTimestamp));
			return;
		}
		await jobs.accept({
			...by,
			guildId,
			prompt,
			settings,
			mode: target.mode,
			prepareInput: inputFor(target, inputs),
		});
	};
}
