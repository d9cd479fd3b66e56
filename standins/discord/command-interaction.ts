import type {
	APIApplicationCommandOption,
	APIAttachment,
	APIInteraction,
	APIInteractionDataResolved,
} from 'discord.js';
import { ApplicationCommandOptionType, ApplicationCommandType, InteractionType } from 'discord.js';
import type { UserSeed } from './api-objects.js';
import { contentTypeForFilename } from './attachment-store.js';
import { type ActorSpec, resolveActor } from './interaction-actor.js';
import { interactionBase } from './interaction-base.js';
import { dispatchInteraction, type InteractionHandle } from './interaction-dispatch.js';
import { ordinaryMemberPermissions } from './permissions.js';
import { nextSnowflake } from './snowflake.js';
import type { StandInState } from './stand-in-state.js';

export interface AttachmentOptionInput {
	filename: string;
	/** Undefined: derived from the file name; null: Discord could not tell. */
	contentType?: string | null;
	bytes: Buffer;
	/** What Discord claims, to test code that trusts it; defaults to the real length. */
	size?: number;
}

export type CommandOptionValue =
	| string
	| number
	| boolean
	| { attachment: AttachmentOptionInput }
	| { user: UserSeed }
	/** A role option, by the id `createRole` gave. */
	| { role: string }
	/** A channel the stand-in knows, by id (a member's client picks from the server's channels). */
	| { channel: string };

export interface CommandRun extends ActorSpec {
	name: string;
	subcommand?: string;
	options?: Record<string, CommandOptionValue>;
}

interface BuiltOption {
	name: string;
	type: ApplicationCommandOptionType;
	value: string | number | boolean;
}

function inferredType(value: CommandOptionValue): ApplicationCommandOptionType {
	if (typeof value === 'string') return ApplicationCommandOptionType.String;
	if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
	if (typeof value === 'number')
		return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
	if ('attachment' in value) return ApplicationCommandOptionType.Attachment;
	if ('role' in value) return ApplicationCommandOptionType.Role;
	return 'channel' in value ? ApplicationCommandOptionType.Channel : ApplicationCommandOptionType.User;
}

/** Where the options live in the registered definition: the command's or the subcommand's. */
function optionDefinitions(state: StandInState, run: CommandRun, guildId: string | undefined) {
	const command = state.commands.find(run.name, guildId);
	if (!command || run.subcommand === undefined) return { command, definitions: command?.options };
	const subcommand = command.options?.find(
		(option) => option.type === ApplicationCommandOptionType.Subcommand && option.name === run.subcommand,
	);
	if (!subcommand || subcommand.type !== ApplicationCommandOptionType.Subcommand) {
		throw new Error(`/${run.name} has no subcommand ${run.subcommand}`);
	}
	return { command, definitions: subcommand.options ?? [] };
}

export function runCommand(state: StandInState, run: CommandRun): InteractionHandle {
	const actor = resolveActor(state, run);
	const base = interactionBase(state, InteractionType.ApplicationCommand, actor);
	const { command, definitions } = optionDefinitions(state, run, actor.guild?.id);
	const resolved: Required<
		Pick<APIInteractionDataResolved, 'attachments' | 'users' | 'members' | 'roles' | 'channels'>
	> = {
		attachments: {},
		users: {},
		members: {},
		roles: {},
		channels: {},
	};

	const buildOption = (name: string, value: CommandOptionValue): BuiltOption => {
		const definition = definitions?.find((option: APIApplicationCommandOption) => option.name === name);
		if (definitions && !definition) {
			throw new Error(
				`/${run.name} ${run.subcommand ?? ''} has no option "${name}"; it has: ${definitions.map((option) => option.name).join(', ')}`,
			);
		}
		const type = definition?.type ?? inferredType(value);
		if (typeof value !== 'object') return { name, type, value };
		if ('attachment' in value) {
			const attachment = storeAttachmentOption(state, actor.channel.id, value.attachment);
			resolved.attachments[attachment.id] = attachment;
			return { name, type, value: attachment.id };
		}
		if ('role' in value) {
			const role = actor.guild?.roles.find((known) => known.id === value.role);
			if (!role) throw new Error(`/${run.name}: the server has no role ${value.role}`);
			resolved.roles[role.id] = role;
			return { name, type, value: role.id };
		}
		if ('channel' in value) {
			const channel = state.world.channel(value.channel);
			if (!channel) throw new Error(`The stand-in has no channel ${value.channel}`);
			// Discord sends the invoking member's permissions in the picked channel.
			const permissions = actor.memberPermissions ?? ordinaryMemberPermissions.toString();
			resolved.channels[channel.id] = { id: channel.id, name: channel.name ?? null, type: channel.type, permissions };
			return { name, type, value: channel.id };
		}
		const user = state.world.rememberUser(value.user);
		resolved.users[user.id] = user;
		if (actor.guild) {
			const { user: _user, ...member } = state.world.ensureMember(actor.guild, user);
			resolved.members[user.id] = { ...member, permissions: ordinaryMemberPermissions.toString() };
		}
		return { name, type, value: user.id };
	};

	const options = Object.entries(run.options ?? {}).map(([name, value]) => buildOption(name, value));
	const hasResolved = Object.values(resolved).some((entries) => Object.keys(entries).length > 0);
	const payload = {
		...base,
		data: {
			id: command?.id ?? nextSnowflake(),
			name: run.name,
			type: ApplicationCommandType.ChatInput,
			options:
				run.subcommand === undefined
					? options
					: [{ type: ApplicationCommandOptionType.Subcommand, name: run.subcommand, options }],
			...(hasResolved
				? {
						resolved: Object.fromEntries(
							Object.entries(resolved).filter(([, entries]) => Object.keys(entries).length > 0),
						),
					}
				: {}),
			...(command?.guild_id === undefined ? {} : { guild_id: command.guild_id }),
		},
	} as APIInteraction;
	return dispatchInteraction(state, payload, {
		channelId: actor.channel.id,
		attachmentSizeLimit: actor.attachmentSizeLimit,
	});
}

function storeAttachmentOption(state: StandInState, channelId: string, input: AttachmentOptionInput): APIAttachment {
	const contentType =
		input.contentType === undefined ? contentTypeForFilename(input.filename) : (input.contentType ?? undefined);
	const attachment = state.attachments.store({
		channelId,
		filename: input.filename,
		bytes: input.bytes,
		contentType,
		...(input.size === undefined ? {} : { size: input.size }),
	});
	return { ...attachment, ephemeral: true };
}
