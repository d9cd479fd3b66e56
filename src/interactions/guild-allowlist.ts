/** The servers the operator chose to serve; without a list, every server that adds the bot is served. */
export class GuildAllowlist {
	readonly #guildIds: ReadonlySet<string> | undefined;

	constructor(guildIds: readonly string[] | undefined) {
		this.#guildIds = guildIds === undefined ? undefined : new Set(guildIds);
	}

	/** Interactions outside any server are left to their handlers, which know whether they belong in a DM. */
	refuses(guildId: string | null): boolean {
		return this.#guildIds !== undefined && guildId !== null && !this.#guildIds.has(guildId);
	}
}
