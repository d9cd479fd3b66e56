import type { SubcommandHandler } from '../../interactions/context.js';
import { requireManageServer } from '../../interactions/require-manage-server.js';
import type { Blocklists } from '../blocklists.js';
import { shownTerm } from './shown-term.js';

/** `/moderation unblock term`: takes a term off this server's list (the operator's list is not the server's to change). */
export function createModerationUnblockHandler(blocklists: Blocklists): SubcommandHandler {
	return {
		ephemeral: true,
		adminChange: true,
		async execute({ interaction, guildId, t }) {
			requireManageServer(interaction);
			const { term, removed } = await blocklists.unblock(guildId, interaction.options.getString('term', true));
			const key = removed ? 'moderation.unblock.removed' : 'moderation.unblock.notBlocked';
			await interaction.editReply({ content: t(key, { term: shownTerm(term) }), allowedMentions: { parse: [] } });
		},
	};
}
