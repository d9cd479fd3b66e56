import type { APIUser } from 'discord.js';
import type { UserSeed } from './api-objects.js';
import type { AttachmentStore } from './attachment-store.js';
import type { CommandStore } from './command-store.js';
import type { FaultInjector } from './fault-injector.js';
import type { GatewayServer } from './gateway-server.js';
import type { ParsedRequest } from './http-request.js';
import type { InteractionStore } from './interaction-store.js';
import type { MessageComposer } from './message-composer.js';
import type { MessageStore } from './message-store.js';
import type { PathParams } from './route-template.js';
import type { DiscordWorld } from './world.js';

interface StandInLimits {
	channelUploadLimit: number;
	interactionDeadlineMs: number;
	interactionTokenTtlMs: number;
}

/** Everything the route handlers share. */
export interface StandInState {
	applicationId: string;
	botToken: string;
	botUser: APIUser;
	/** Who acts, and where, when a test does not say. */
	defaultUser: UserSeed;
	defaultGuildId: string;
	gatewayUrl: string;
	/** What `GET /gateway/bot` answers as `shards`. */
	recommendedShards: number;
	limits: StandInLimits;
	world: DiscordWorld;
	messages: MessageStore;
	attachments: AttachmentStore;
	composer: MessageComposer;
	commands: CommandStore;
	interactions: InteractionStore;
	faults: FaultInjector;
	gateway: GatewayServer;
}

export interface RouteReply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** A 429 to a request sent while an earlier 429's Retry-After for the same bucket was still running. */
	ignoredRunningLimit?: boolean;
}

export interface RouteDefinition {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** The path template as Discord's OpenAPI spec writes it. */
	template: string;
	/** Webhook and callback routes carry their token in the path instead. */
	needsBotToken: boolean;
	handle(request: ParsedRequest, params: PathParams): RouteReply | Promise<RouteReply>;
}

export const noContent: RouteReply = { status: 204 };

export function ok(body: unknown, status = 200): RouteReply {
	return { status, body };
}
