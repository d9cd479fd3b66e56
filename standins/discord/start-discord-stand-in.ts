import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeUser, type UserSeed } from './api-objects.js';
import { AttachmentStore } from './attachment-store.js';
import { CommandStore } from './command-store.js';
import { DiscordStandIn } from './discord-stand-in.js';
import { FaultInjector } from './fault-injector.js';
import { GatewayServer } from './gateway-server.js';
import { guildCreatePayload, guildsOfShard, readyPayload } from './guild-payloads.js';
import { InteractionStore } from './interaction-store.js';
import { MessageComposer } from './message-composer.js';
import { MessageStore } from './message-store.js';
import { defaultOpenApiSpecPath, OpenApiBodyValidator } from './openapi-validator.js';
import { type DiscordRateLimits, OBSERVED_DISCORD_LIMITS, RateLimitBuckets } from './rate-limit-buckets.js';
import { RestPipeline } from './rest-pipeline.js';
import { applicationRoutes } from './routes/application-routes.js';
import { channelRoutes } from './routes/channel-routes.js';
import { gatewayRoutes } from './routes/gateway-routes.js';
import { guildRoutes } from './routes/guild-routes.js';
import { interactionCallbackRoute } from './routes/interaction-callback-route.js';
import { userRoutes } from './routes/user-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { nextSnowflake } from './snowflake.js';
import type { StandInState } from './stand-in-state.js';
import { DiscordWorld, type GuildSeed } from './world.js';

export interface DiscordStandInOptions {
	applicationId?: string;
	botToken?: string;
	botUserId?: string;
	/** Default: one guild with one text channel. */
	guilds?: GuildSeed[];
	/** Bytes per file for bot channel messages; interactions carry their own `attachment_size_limit`. */
	channelUploadLimit?: number;
	/**
	 * The limits counted per channel, webhook (id + token) and guild, answered with Discord's headers and 429 beyond
	 * them; each one not given is what bots observe at Discord (`OBSERVED_DISCORD_LIMITS`).
	 */
	rateLimits?: Partial<DiscordRateLimits>;
	/**
	 * The clock rate limits are counted by (default: `Date.now`). A test can pass one it moves itself, so whether a
	 * burst falls within one window never depends on how fast the machine is.
	 */
	rateLimitClock?: () => number;
	/** How long after dispatch the first response is accepted (Discord: 3 s). */
	interactionDeadlineMs?: number;
	/** How long an interaction token works (Discord: 15 min). */
	interactionTokenTtlMs?: number;
	/** Who runs commands when a test does not say. */
	defaultUser?: UserSeed;
	/** The shard count `GET /gateway/bot` recommends (default 1); discord.js runs that many with `shards: 'auto'`. */
	shards?: number;
	/**
	 * IDENTIFY with fewer shards than this is closed 4011 Sharding required, as Discord closes a bot in more servers
	 * than one shard may hold (2,500); default 1, never.
	 */
	requiredShards?: number;
	/** Discord's OpenAPI spec; defaults to $DISCORD_OPENAPI_SPEC, then the vendored copy. */
	openApiSpecPath?: string;
}

const validatorsBySpecPath = new Map<string, OpenApiBodyValidator>();

/** Compiled schemas are reused across stand-ins: each test file starts several. */
function sharedValidator(specPath: string): OpenApiBodyValidator {
	let validator = validatorsBySpecPath.get(specPath);
	if (!validator) {
		validator = new OpenApiBodyValidator(specPath);
		validatorsBySpecPath.set(specPath, validator);
	}
	return validator;
}

async function listenOnLoopback(server: Server): Promise<string> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startDiscordStandIn(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
	const validator = sharedValidator(
		options.openApiSpecPath ?? process.env.DISCORD_OPENAPI_SPEC ?? defaultOpenApiSpecPath,
	);
	const server = createServer();
	const host = await listenOnLoopback(server);
	const origin = `http://${host}`;
	const gatewayUrl = `ws://${host}`;
	const applicationId = options.applicationId ?? nextSnowflake();
	const botToken = options.botToken ?? `stand-in-bot-token.${nextSnowflake()}`;
	const botUser = makeUser({ id: options.botUserId ?? applicationId, username: 'PixVerse' }, true);
	const guildSeeds = options.guilds ?? [
		{ id: nextSnowflake(), name: 'Stand-in Server', channels: [{ id: nextSnowflake(), name: 'general' }] },
	];
	const world = new DiscordWorld(botUser, guildSeeds);
	const attachments = new AttachmentStore(origin);
	const gateway = new GatewayServer({
		botToken,
		heartbeatIntervalMs: 41_250,
		ready: (sessionId, shard) => readyPayload(world, { sessionId, resumeUrl: gatewayUrl, applicationId, shard }),
		guildCreates: (shard) => guildsOfShard(world, shard).map((guild) => guildCreatePayload(world, guild)),
		requiredShards: options.requiredShards ?? 1,
	});
	const faults = new FaultInjector(options.rateLimitClock);
	const buckets = new RateLimitBuckets(
		{ ...OBSERVED_DISCORD_LIMITS, ...options.rateLimits },
		options.rateLimitClock ?? Date.now,
	);
	const state: StandInState = {
		applicationId,
		botToken,
		botUser,
		defaultUser: options.defaultUser ?? { id: nextSnowflake(), username: 'member' },
		defaultGuildId: guildSeeds[0]?.id ?? '',
		gatewayUrl,
		recommendedShards: options.shards ?? 1,
		limits: {
			channelUploadLimit: options.channelUploadLimit ?? 10 * 1024 * 1024,
			interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
			interactionTokenTtlMs: options.interactionTokenTtlMs ?? 15 * 60 * 1000,
		},
		world,
		messages: new MessageStore(),
		attachments,
		composer: new MessageComposer(world, attachments),
		commands: new CommandStore(applicationId),
		interactions: new InteractionStore(),
		faults,
		gateway,
	};
	const standIn: DiscordStandIn = new DiscordStandIn(
		server,
		state,
		new RestPipeline({
			routes: [
				...gatewayRoutes(state),
				...userRoutes(state),
				...guildRoutes(state),
				...applicationRoutes(state),
				...channelRoutes(state),
				interactionCallbackRoute(state),
				...webhookRoutes(state),
			],
			validator,
			faults,
			buckets,
			botToken,
			onValidationFailure: (failure) => standIn.validationFailures.push(failure),
			onUnhandledRoute: (route) => standIn.unhandledRoutes.push(route),
		}),
		origin,
	);
	return standIn;
}
