const bit = (position: number): bigint => 1n << BigInt(position);

export const permissionBits = {
	createInstantInvite: bit(0),
	addReactions: bit(6),
	viewChannel: bit(10),
	sendMessages: bit(11),
	manageMessages: bit(13),
	embedLinks: bit(14),
	attachFiles: bit(15),
	readMessageHistory: bit(16),
	useExternalEmojis: bit(18),
	connect: bit(20),
	speak: bit(21),
	changeNickname: bit(26),
	useApplicationCommands: bit(31),
	sendMessagesInThreads: bit(38),
	manageGuild: bit(5),
} as const;

const combine = (...bits: bigint[]): bigint => bits.reduce((all, one) => all | one, 0n);

/** What @everyone gets in a new server: notably without Manage Server. */
export const ordinaryMemberPermissions = combine(
	permissionBits.createInstantInvite,
	permissionBits.addReactions,
	permissionBits.viewChannel,
	permissionBits.sendMessages,
	permissionBits.embedLinks,
	permissionBits.attachFiles,
	permissionBits.readMessageHistory,
	permissionBits.useExternalEmojis,
	permissionBits.connect,
	permissionBits.speak,
	permissionBits.changeNickname,
	permissionBits.useApplicationCommands,
	permissionBits.sendMessagesInThreads,
);

export const botRolePermissions = combine(
	permissionBits.viewChannel,
	permissionBits.sendMessages,
	permissionBits.embedLinks,
	permissionBits.attachFiles,
	permissionBits.readMessageHistory,
	permissionBits.useExternalEmojis,
	permissionBits.addReactions,
	permissionBits.sendMessagesInThreads,
	permissionBits.useApplicationCommands,
);

/** Denied to the bot by `denyChannelPermission`. */
export const postingPermissions = combine(
	permissionBits.sendMessages,
	permissionBits.attachFiles,
	permissionBits.embedLinks,
);
