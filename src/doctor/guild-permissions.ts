import { type APIGuildMember, type APIRole, PermissionFlagsBits, PermissionsBitField } from 'discord.js';

/**
 * What the bot needs in a server to answer commands and post videos; reading the history is how a post whose answer
 * was lost is found rather than made twice.
 */
const REQUIRED_PERMISSIONS = {
	ViewChannel: PermissionFlagsBits.ViewChannel,
	SendMessages: PermissionFlagsBits.SendMessages,
	AttachFiles: PermissionFlagsBits.AttachFiles,
	EmbedLinks: PermissionFlagsBits.EmbedLinks,
	ReadMessageHistory: PermissionFlagsBits.ReadMessageHistory,
} as const;

export interface GuildPermissionInput {
	guildId: string;
	ownerId: string;
	roles: APIRole[];
	member: Pick<APIGuildMember, 'roles'>;
	botUserId: string;
}

/** Server-level permissions from @everyone and the member's roles, as Discord computes them before channel overwrites. */
export function serverPermissions({ guildId, ownerId, roles, member, botUserId }: GuildPermissionInput): bigint {
	if (ownerId === botUserId) return PermissionsBitField.All;
	const held = new Set([guildId, ...member.roles]);
	const permissions = roles
		.filter((role) => held.has(role.id))
		.reduce((all, role) => all | BigInt(role.permissions), 0n);
	return permissions & PermissionFlagsBits.Administrator ? PermissionsBitField.All : permissions;
}

const readable = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1 $2');

export const requiredPermissionNames = Object.keys(REQUIRED_PERMISSIONS).map(readable);

/** Readable names ("Attach Files") of the required permissions the bot lacks. */
export function missingPermissions(permissions: bigint): string[] {
	return Object.entries(REQUIRED_PERMISSIONS)
		.filter(([, bit]) => (permissions & bit) === 0n)
		.map(([name]) => readable(name));
}
