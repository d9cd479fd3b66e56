import type { SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { Blocklists } from '../blocklists.js';
import { shownTerm } from './shown-term.js';

/** `/moderation block term`: prompts with the term are refused in this server from now on. */
export function createModerationBlockHandler(blocklists: Blocklists): SubcommandHandler {
	return {
		ephemeral: true,
		adminChange: true,
		async execute({ interaction, guildId, t }) {
			requireManageServer(interaction);
			const { term, added } = await blocklists.block(guildId, interaction.options.getString('term', true));
			const key = added ? 'moderation.block.added' : 'moderation.block.already';
			await interaction.editReply({ content: t(key, { term: shownTerm(term) }), allowedMentions: { parse: [] } });
		},
	};
}
