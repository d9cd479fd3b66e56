import { EventEmitter, once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { APIApplicationCommand, APIApplicationCommandPermission, APIMessage } from 'discord.js';
import type { UserSeed } from './api-objects.js';
import { type ButtonPress, pressButton } from './button-interaction.js';
import { type CommandRun, runCommand } from './command-interaction.js';
import type {
	RateLimitFault,
	RateLimitMatch,
	RouteFault,
	RouteFaultControl,
	RouteFaultHit,
	RouteFaultMatch,
} from './fault-injector.js';
import { type ParsedRequest, parseRequest } from './http-request.js';
import type { InteractionHandle } from './interaction-dispatch.js';
import {
	type MemberMessage,
	type MessageCommandRun,
	postMemberMessage,
	runMessageCommand,
} from './message-command-interaction.js';
import { type ModalSubmission, submitModal } from './modal-interaction.js';
import type { RecordedRequest, UnhandledRoute, ValidationFailure } from './recorded-request.js';
import type { RestPipeline } from './rest-pipeline.js';
import type { ShardPair } from './shards.js';
import type { RouteReply, StandInState } from './stand-in-state.js';
import { waitForCondition } from './wait-for.js';

function errorAnswer(status: number, code = 0, message = `${status}: ${STATUS_CODES[status] ?? 'Error'}`): RouteReply {
	return { status, body: { message, code } };
}

interface StandInEvents {
	request: [RecordedRequest];
}

/** A Discord (REST, gateway and CDN) on 127.0.0.1 for discord.js to talk to; see startDiscordStandIn. */
export class DiscordStandIn {
	readonly apiUrl: string;
	/** What `GET /gateway/bot` answers; discord.js finds it there. */
	readonly gatewayUrl: string;
	readonly botToken: string;
	readonly applicationId: string;
	readonly botUserId: string;
	/** The first guild, and its first channel. */
	readonly guildId: string;
	readonly channelId: string;
	readonly defaultUser: UserSeed;

	readonly requests: RecordedRequest[] = [];
	readonly validationFailures: ValidationFailure[] = [];
	readonly unhandledRoutes: UnhandledRoute[] = [];
	readonly rateLimited: RecordedRequest[] = [];
	/**
	 * Requests sent while a 429 the stand-in gave for their bucket had not yet run out: a client that waits out each
	 * Retry-After sends none. Discord answers them 429 again, and too many get a client banned for a while.
	 */
	readonly ignoredRateLimits: RecordedRequest[] = [];
	/** Every GET of a file on the stand-in's CDN (attachments), found or not, in order of arrival. */
	readonly attachmentFetches: Array<{ path: string; time: number }> = [];

	private readonly events = new EventEmitter<StandInEvents>();

	constructor(
		private readonly server: Server,
		private readonly state: StandInState,
		private readonly pipeline: RestPipeline,
		origin: string,
	) {
		this.apiUrl = `${origin}/api`;
		this.gatewayUrl = state.gatewayUrl;
		this.botToken = state.botToken;
		this.applicationId = state.applicationId;
		this.botUserId = state.botUser.id;
		this.guildId = state.defaultGuildId;
		const defaultGuild = state.world.guild(state.defaultGuildId);
		this.channelId = defaultGuild?.channelIds[0] ?? '';
		this.defaultUser = state.defaultUser;
		server.on('request', (request, response) => {
			this.serve(request, response).catch((error: unknown) => {
				console.error(`Discord stand-in failed on ${request.method} ${request.url}`, error);
				if (!response.headersSent) response.writeHead(500).end();
			});
		});
		server.on('upgrade', (request, socket, head) => state.gateway.handleUpgrade(request, socket, head));
	}

	on(event: 'request', listener: (request: RecordedRequest) => void): this {
		this.events.on(event, listener);
		return this;
	}

	off(event: 'request', listener: (request: RecordedRequest) => void): this {
		this.events.off(event, listener);
		return this;
	}

	runCommand(run: CommandRun): InteractionHandle {
		return runCommand(this.state, run);
	}

	/** A message a member posts (attachments, a link preview), for message commands to act on. */
	postMemberMessage(message: MemberMessage): APIMessage {
		return postMemberMessage(this.state, message);
	}

	runMessageCommand(run: MessageCommandRun): InteractionHandle {
		return runMessageCommand(this.state, run);
	}

	pressButton(press: ButtonPress): InteractionHandle {
		return pressButton(this.state, press);
	}

	submitModal(submission: ModalSubmission): InteractionHandle {
		return submitModal(this.state, submission);
	}

	/** Asks the client to reconnect and resume; events dispatched meanwhile are replayed. */
	requestGatewayReconnect(): void {
		this.state.gateway.requestReconnect();
	}

	/** A Discord outage of the gateway alone: the client is cut off and cannot reconnect until `bringGatewayBack`. */
	takeGatewayDown(): void {
		this.state.gateway.goDown();
	}

	bringGatewayBack(): void {
		this.state.gateway.comeBack();
	}

	/** `[shard_id, num_shards]` of each gateway session (connected, or one that may still resume), in order. */
	gatewayShards(): ShardPair[] {
		return this.state.gateway.shards();
	}

	/** Sends any gateway event to the client holding the event's shard, e.g. a GUILD_DELETE. */
	dispatchGatewayEvent(eventName: string, data: unknown): void {
		this.state.gateway.dispatch(eventName, data);
	}

	/** Messages still present in the channel, oldest first (ephemeral ones included, flagged 64). */
	channelMessages(channelId: string): APIMessage[] {
		return this.state.messages.inChannel(channelId);
	}

	findMessage(messageId: string): APIMessage | undefined {
		return this.state.messages.get(messageId);
	}

	/** Global commands, or a guild's commands, as registered. */
	registeredCommands(guildId?: string): APIApplicationCommand[] {
		return this.state.commands.list(guildId);
	}

	/**
	 * Sets a command's permission overwrites in a guild, as an admin does under Server Settings → Integrations;
	 * without a command name, the overwrites apply to every command of the application.
	 */
	setCommandPermissions(guildId: string, permissions: APIApplicationCommandPermission[], commandName?: string): void {
		const command = commandName === undefined ? undefined : this.state.commands.find(commandName, guildId);
		if (commandName !== undefined && !command) throw new Error(`The stand-in has no command /${commandName}`);
		this.state.commands.setPermissions(guildId, command?.id ?? this.applicationId, permissions);
	}

	waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
		return waitForCondition(
			predicate,
			timeoutMs,
			(recheck) => {
				this.events.on('request', recheck);
				return () => this.events.off('request', recheck);
			},
			() => this.describeRecentRequests(),
		);
	}

	expireToken(token: string): void {
		this.state.faults.expireToken(token);
	}

	/** As if a moderator deleted it: later edits and fetches answer 10008 Unknown Message. */
	deleteMessage(channelId: string, messageId: string): void {
		if (this.state.messages.get(messageId)?.channel_id !== channelId) {
			throw new Error(`The stand-in has no message ${messageId} in channel ${channelId}`);
		}
		this.state.messages.delete(messageId);
	}

	rateLimit(match: RateLimitMatch, fault: RateLimitFault): void {
		this.state.faults.addRateLimit(match, fault);
	}

	/** Creates a role in the guild (the first by default) and tells the client, as Discord does; returns its id. */
	createRole(name: string, guildId = this.guildId): string {
		const role = this.state.world.addRole(guildId, name);
		this.state.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guildId, role });
		return role.id;
	}

	/** Takes Send Messages, Attach Files and Embed Links from the bot in the channel, and tells the client. */
	denyChannelPermission(channelId: string): void {
		this.state.gateway.dispatch('CHANNEL_UPDATE', this.state.world.denyBotPosting(channelId));
	}

	closeDms(userId: string): void {
		this.state.faults.closeDms(userId);
	}

	/**
	 * A fault on the matching routes until it is ended: an outage (each request answered `status`, hung with no
	 * answer, or its connection dropped, and never carried out; recorded with status 0 when no answer was given), or
	 * a `hold` (carried out at once, its answer sent when the fault ends), or an `answerLost` (carried out, answered
	 * with that error status instead).
	 */
	failRoutes(match: RouteFaultMatch, fault: RouteFault): RouteFaultControl {
		return this.state.faults.addRouteFault(match, fault);
	}

	async close(): Promise<void> {
		await this.state.gateway.close();
		this.server.closeAllConnections();
		await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
	}

	private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const pathname = new URL(request.url ?? '/', 'http://stand-in.invalid').pathname;
		if (request.method === 'GET' && pathname.startsWith('/attachments/'))
			return this.serveAttachment(pathname, response);
		const parsed = await parseRequest(request);
		const hit = this.state.faults.routeFaultFor(parsed.method, parsed.path, parsed.files.length > 0);
		const carriedOut = hit === undefined || 'hold' in hit.fault || 'answerLost' in hit.fault;
		if (hit && !carriedOut) return this.serveOutage(hit, parsed, response);
		const handled = await this.pipeline.handle(parsed);
		if (hit && 'hold' in hit.fault) await hit.waitForEnd();
		const { route } = handled;
		const reply = hit && 'answerLost' in hit.fault ? errorAnswer(hit.fault.answerLost) : handled.reply;
		this.record(parsed, route, reply);
		const hasBody = reply.body !== undefined && reply.status !== 204;
		response.writeHead(reply.status, { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...reply.headers });
		response.end(hasBody ? JSON.stringify(reply.body) : undefined);
	}

	private async serveOutage(outage: RouteFaultHit, parsed: ParsedRequest, response: ServerResponse): Promise<void> {
		const { fault } = outage;
		if ('status' in fault) {
			const reply = errorAnswer(fault.status, fault.code, fault.message);
			this.record(parsed, undefined, reply);
			response.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
			return;
		}
		this.record(parsed, undefined, { status: 0 });
		if ('hang' in fault) await outage.waitForEnd(once(response, 'close'));
		response.socket?.destroy();
	}

	private record(parsed: ParsedRequest, route: string | undefined, reply: RouteReply): void {
		const recorded: RecordedRequest = {
			method: parsed.method,
			path: parsed.path,
			route,
			query: parsed.query,
			headers: parsed.headers,
			body: parsed.body,
			files: parsed.files,
			status: reply.status,
			response: reply.body,
			responseHeaders: reply.headers ?? {},
			time: parsed.time,
		};
		this.requests.push(recorded);
		if (reply.status === 429) this.rateLimited.push(recorded);
		if (reply.ignoredRunningLimit) this.ignoredRateLimits.push(recorded);
		this.events.emit('request', recorded);
	}

	private serveAttachment(pathname: string, response: ServerResponse): void {
		this.attachmentFetches.push({ path: decodeURIComponent(pathname), time: Date.now() });
		const file = this.state.attachments.find(pathname);
		if (!file) {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, {
			'content-length': file.bytes.length,
			...(file.contentType === undefined ? {} : { 'content-type': file.contentType }),
		});
		response.end(file.bytes);
	}

	private describeRecentRequests(): string {
		const recent = this.requests
			.slice(-10)
			.map((request) => `  ${request.method} ${request.path} -> ${request.status}`);
		return recent.length === 0 ? 'The stand-in has received no requests.' : `Last requests:\n${recent.join('\n')}`;
	}
}
