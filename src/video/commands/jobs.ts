import { cut, fitEmbeds, length, MESSAGE_LIMITS, plainText } from '../../discord/message-limits.js';
import type { SubcommandHandler } from '../../interactions/context.js';
import type { JobStore } from '../jobs/job-store.js';
import { resultLink } from '../progress/progress-view.js';

const SHOWN = 10;
const PROMPT_PREVIEW = 60;

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
					prompt: plainText(cut(job.prompt, PROMPT_PREVIEW)),
				});
				const url = resultLink(job);
				return `• ${url ? `${line} · ${t('jobs.link', { url })}` : line}`;
			});
			await interaction.editReply({
				embeds: fitEmbeds([{ title: t('jobs.heading'), description: wholeLinesWithin(lines) }]),
				allowedMentions: { parse: [] },
			});
		},
	};
}

/**
 * As many lines as fit, newest first: a line cut short could break its link, so older ones are left out rather than
 * cut (only a first line too long on its own is).
 */
function wholeLinesWithin(lines: string[]): string {
	const kept: string[] = [];
	let used = 0;
	for (const line of lines) {
		const added = length(line) + (kept.length > 0 ? 1 : 0);
		if (used + added > MESSAGE_LIMITS.embedDescription) break;
		kept.push(line);
		used += added;
	}
	return kept.length > 0 ? kept.join('\n') : cut(lines[0] ?? '', MESSAGE_LIMITS.embedDescription);
}
