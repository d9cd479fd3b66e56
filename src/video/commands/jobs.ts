import type { SubcommandHandler } from '../../interactions/context.js';
import type { JobStore } from '../jobs/job-store.js';
import { resultLink } from '../progress/progress-view.js';

const SHOWN = 10;
const PROMPT_PREVIEW = 60;

function preview(prompt: string): string {
	const characters = [...prompt];
	return characters.length > PROMPT_PREVIEW ? `${characters.slice(0, PROMPT_PREVIEW).join('')}…` : prompt;
}

/** `/video jobs`: the caller's recent jobs in this server, newest first, with a link to each result. */
export function createVideoJobsHandler(store: JobStore): SubcommandHandler {
	return {
		ephemeral: true,
		async execute({ interaction, guildId, t }) {
			const jobs = (await store.recentJobs(guildId, interaction.user.id)).slice(0, SHOWN);
			if (jobs.length === 0) {
				await interaction.editReply({ content: t('jobs.none') });
				return;
			}
			const lines = jobs.map((job) => {
				const line = t('jobs.line', {
					state: t(`jobs.state.${job.state}`),
					mode: t(`label.mode.${job.mode}`),
					age: `<t:${Math.round(job.createdAt / 1000)}:R>`,
					prompt: preview(job.prompt),
				});
				const url = resultLink(job);
				return url ? `${line} · ${t('jobs.link', { url })}` : line;
			});
			await interaction.editReply({
				embeds: [{ title: t('jobs.heading'), description: lines.map((line) => `• ${line}`).join('\n') }],
				allowedMentions: { parse: [] },
			});
		},
	};
}
