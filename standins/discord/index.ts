export type { AttachmentOptionInput, CommandOptionValue } from './command-interaction.js';
export type { DiscordStandIn } from './discord-stand-in.js';
export type { InteractionHandle } from './interaction-dispatch.js';
export type { RecordedRequest } from './recorded-request.js';
export { shardOfGuild } from './shards.js';
export { type DiscordStandInOptions, startDiscordStandIn } from './start-discord-stand-in.js';
export type { GuildSeed } from './world.js';
