import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Events, GatewayIntentBits, REST } from 'discord.js';
import type Keyv from 'keyv';
import { commandDefinitions } from './command-definitions.js';
import type { Config } from './config.js';
import { botUserIdOf } from './discord/bot-user-id.js';
import { ChannelAccess } from './discord/channel-access.js';
import { CommandPermissions } from './discord/command-permissions.js';
import { syncCommandsFromShardZero } from './discord/command-sync.js';
import { createHttpAgent, discordRequestVia } from './discord/http-agent.js';
import { DiscordMessenger } from './discord/messenger.js';
import { RateLimitBoard } from './discord/rate-limit-board.js';
import type { ActivityListener } from './domain/activity.js';
import { ownerIdOf } from './domain/owner-id.js';
import type { SubcommandHandlers } from './interactions/context.js';
import { GuildAllowlist } from './interactions/guild-allowlist.js';
import { InteractionRouter } from './interactions/router.js';
import { ModelverseClient } from './modelverse/client.js';
import { ModelverseKeyWatch } from './modelverse/key-watch.js';
import { Blocklists } from './moderation/blocklists.js';
import { createModerationBlockHandler } from './moderation/commands/block.js';
import { createModerationListHandler } from './moderation/commands/list.js';
import { createModerationLogHandler } from './moderation/commands/log.js';
import { createModerationUnblockHandler } from './moderation/commands/unblock.js';
import { ModerationLog } from './moderation/log/moderation-log.js';
import { ModerationRecords } from './moderation/moderation-records.js';
import { gatewayCheck, modelverseKeyCheck, pollerCheck, queryBudgetCheck, storeCheck } from './ops/health-checks.js';
import type { HealthChecks } from './ops/health-server.js';
import type { Logger } from './ops/logger.js';
import { BotMetrics } from './ops/metrics.js';
import { createQuotaMemberHandler } from './quota/commands/member.js';
import { createQuotaResetHandler } from './quota/commands/reset.js';
import { createQuotaRoleHandler } from './quota/commands/role.js';
import { createQuotaSetHandler } from './quota/commands/set.js';
import { createQuotaShowHandler } from './quota/commands/show.js';
import { createVideoUsageHandler } from './quota/commands/usage.js';
import { jobCost } from './quota/limits/cost.js';
import { warnIfSpendingUnbounded } from './quota/limits/spending-warning.js';
import { QuotaService } from './quota/quota-service.js';
import { deleteExpiredEntries } from './storage/expired-entries.js';
import { openRecordLock } from './storage/open-record-lock.js';
import { isPostgresUrl } from './storage/postgres-store.js';
import { sharedQueryBudget } from './storage/shared-query-budget.js';
import { storeReady } from './storage/store.js';
import { TaskLedger } from './storage/task-ledger.js';
import { createCancelButton } from './video/buttons/cancel.js';
import { ComponentAccessCheck } from './video/buttons/component-access.js';
import { createDeleteButton } from './video/buttons/delete.js';
import { createExtendButton } from './video/buttons/extend.js';
import { createExtendPromptModal } from './video/buttons/extend-prompt.js';
import { createRerollButton } from './video/buttons/reroll.js';
import { ResultComponentRouter } from './video/buttons/result-component-router.js';
import { createVideoHandler } from './video/commands/create.js';
import { createVideoJobsHandler } from './video/commands/jobs.js';
import { MemberDefaultsStore } from './video/defaults/member-defaults-store.js';
import { createVideoSettingsHandler } from './video/defaults/settings-command.js';
import { VideoDefaults } from './video/defaults/video-defaults.js';
import { ChannelPosts } from './video/delivery/channel-posts.js';
import { ConcurrencyLimit } from './video/delivery/concurrency-limit.js';
import { Delivery } from './video/delivery/delivery.js';
import { DeliveryQueue } from './video/delivery/delivery-queue.js';
import type { DownloadSettings } from './video/inputs/download.js';
import { ImagePreparer } from './video/inputs/image-preparer.js';
import { JobEndings } from './video/jobs/job-endings.js';
import { JobForecast } from './video/jobs/job-forecast.js';
import { JobLine } from './video/jobs/job-line.js';
import { JobPoll } from './video/jobs/job-poll.js';
import { JobService } from './video/jobs/job-service.js';
import { JobStore } from './video/jobs/job-store.js';
import { slotFreeingCredits } from './video/jobs/slot-freeing-credits.js';
import { MessageMenuRouter } from './video/menus/menu-router.js';
import { MenuTargetStore } from './video/menus/menu-target-store.js';
import { createMenuOpener } from './video/menus/open-menu.js';
import { createMenuSubmit } from './video/menus/submit-menu.js';
import { LeaseFence } from './video/ownership/lease-fence.js';
import { OpenJobQueue } from './video/ownership/open-job-queue.js';
import { Poller } from './video/polling/poller.js';
import { RenderEstimates } from './video/polling/render-estimates.js';
import { ProgressScheduler } from './video/progress/progress-scheduler.js';
import { ProgressSender } from './video/progress/progress-sender.js';

const HEALTH_STORE_TIMEOUT_MS = 2_000;
// The poller wakes at least once a second; this much silence means the event loop or the poller is stuck.
const HEALTH_MAX_POLLER_LAG_MS = 30_000;

/** Work still under way after this is left to the next start, which resumes or ends it honestly. */
const DRAIN_LIMIT_MS = 7_000;
/** Expired entries stay in SQLite until deleted: once at start, then daily. */
const DELETE_EXPIRED_EVERY_MS = 24 * 60 * 60 * 1000;

export interface Bot {
	client: Client;
	metrics: BotMetrics;
	healthChecks: HealthChecks;
	start(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * Builds the whole bot by hand, one block per feature: constructor parameters are the dependencies. The caller opens
 * `store` (with `openStore`), so that a database that cannot be opened is its own, clear error.
 */
export function createBot(config: Config, logger: Logger, store: Keyv): Bot {
	const now = Date.now;

	// Adapters: storage, Discord, Modelverse.
	const mutex = openRecordLock(config.databaseUrl);
	const tasks = new TaskLedger(store, mutex);
	const http = createHttpAgent();
	const rateLimits = new RateLimitBoard(now);
	const restOptions = {
		...(config.discordApiUrl ? { api: config.discordApiUrl } : {}),
		makeRequest: discordRequestVia(http, (url, headers) => rateLimits.observe(url, headers)),
		timeout: config.discordRestTimeoutMs,
	};
	const client = new Client({
		intents: [GatewayIntentBits.Guilds],
		...(config.shards === 'auto' ? { shards: 'auto' } : { shards: config.shards.ids, shardCount: config.shards.count }),
		rest: restOptions,
	});
	// Two running processes must never share it: each would take the other's jobs for its own.
	const ownerId = config.instanceId ?? ownerIdOf(client.options.shards ?? 0);
	const postOnce = new REST({ ...restOptions, retries: 0 });
	const messenger = new DiscordMessenger(client.rest, postOnce, new ChannelAccess(client), logger);
	const modelverse = new ModelverseClient({ ...config.modelverse, dispatcher: http });
	const sharedBudget = sharedQueryBudget(config, logger);
	const keyWatch = new ModelverseKeyWatch({
		// The key check is a status query too: with a shared budget, it waits for its permit like any other.
		checkKey: async () => {
			await sharedBudget?.permit();
			await modelverse.checkKey();
		},
		retry: config.keyCheckRetry,
		logger,
	});
	const downloads: DownloadSettings = {
		dispatcher: http,
		downloadTimeoutMs: config.downloadTimeoutMs,
		maxVideoBytes: config.maxVideoBytes,
	};

	// Quota: credits, limits and the admin commands.
	const quotas = new QuotaService(store, mutex, config.credits, now);

	// Video: jobs from command to posted result, with each member's own defaults.
	const videoDefaults = new VideoDefaults(new MemberDefaultsStore(store), mutex, logger);
	const jobStore = new JobStore({ keyv: store, mutex, logger, now });
	const estimates = new RenderEstimates(store);
	// With several processes, open jobs are items of a queue in Redis; the process holding an item follows its job.
	// On SQLite each process has a store of its own, so a shared Redis only shares the budget.
	const queue =
		config.redisUrl && isPostgresUrl(config.databaseUrl)
			? new OpenJobQueue({
					redisUrl: config.redisUrl,
					queueName: `open-jobs-${botUserIdOf(config.discordToken) ?? 'bot'}`,
					lockMs: config.ownerLeaseMs,
					takeOver: (jobId) => jobs.takeOver(jobId),
					expireInLine: (jobId) => line.expire(jobId),
					openJobs: () => jobStore.openJobs(),
					ownerId,
					logger,
					now,
				})
			: undefined;
	const poller = new Poller(
		{
			queriesPerSecond: config.polling.queriesPerSecond,
			...(config.polling.policy === 'fixed-interval' ? { fixedIntervalMs: config.polling.fixedIntervalMs } : {}),
			...(sharedBudget ? { permits: sharedBudget } : {}),
		},
		logger,
		now,
	);
	const metrics = new BotMetrics({
		openJobs: () => jobStore.openJobs(),
		pollerLagMs: () => poller.lagMs,
		statusQueriesPerSecond: config.polling.queriesPerSecond,
		...(queue ? { heldJobs: () => queue.heldCount } : {}),
	});

	// Moderation: blocked terms and the log channel. Video and quota report to the log through `activity` alone.
	const moderationRecords = new ModerationRecords(store, mutex);
	const moderationLog = new ModerationLog({
		records: moderationRecords,
		messenger,
		serverName: (guildId) => client.guilds.cache.get(guildId)?.name,
		metrics,
		logger,
		now,
	});
	const activity: ActivityListener = (event) => {
		moderationLog.notify(event);
		if (event.kind === 'job-ended') queue?.ended(event.job.id);
	};
	const blocklists = new Blocklists(moderationRecords, config.operatorBlocklist.terms, (prompt, term, by) =>
		moderationLog.blockedPrompt(prompt, term, by),
	);

	const posts = new ChannelPosts();
	const progress = new ProgressScheduler({
		sender: new ProgressSender(messenger, jobStore),
		messenger,
		board: rateLimits,
		posts,
		estimates,
		metrics,
		logger,
		now,
	});
	// Every end of a job's hold on credits may move its server's line; the line is built below, once jobs exist.
	const credits = slotFreeingCredits(quotas, (guildId) => void line.move(guildId));
	const endings = new JobEndings({
		store: jobStore,
		credits,
		estimates,
		progress,
		tasks,
		metrics,
		activity,
		logger,
		resultUrlLifetimeMs: config.resultUrlLifetimeMs,
		now,
	});
	const deliveries = new DeliveryQueue({
		store: jobStore,
		delivery: new Delivery({
			messenger,
			metrics,
			logger,
			downloads,
			...(queue
				? {
						fence: new LeaseFence({
							heldUntil: (jobId) => queue.heldUntil(jobId),
							leaseMs: config.ownerLeaseMs,
							now,
						}),
					}
				: {}),
		}),
		endings,
		progress,
		posts,
		logger,
		retry: config.deliveryRetry,
		ownerId,
		now,
	});
	const jobPoll = new JobPoll({
		store: jobStore,
		modelverse,
		progress,
		deliveries,
		endings,
		estimates,
		metrics,
		logger,
		intervals: { minMs: config.polling.minIntervalMs, maxMs: config.polling.maxIntervalMs },
		jobDeadlineMs: config.jobDeadlineMs,
		ownerId,
		now,
	});
	const forecast = new JobForecast({
		store: jobStore,
		estimates,
		intervals: { minMs: config.polling.minIntervalMs, maxMs: config.polling.maxIntervalMs },
		now,
	});
	const line: JobLine = new JobLine({
		store: jobStore,
		credits,
		endings,
		progress,
		start: (jobId) => jobs.startFromLine(jobId),
		logger,
		lineDeadlineMs: config.lineDeadlineMs,
		now,
	});
	const jobs: JobService = new JobService({
		store: jobStore,
		credits,
		prompts: blocklists,
		activity,
		costOf: (settings) => jobCost(settings, config.credits.weights),
		modelverse,
		poller,
		deliveries,
		progress,
		endings,
		tasks,
		metrics,
		logger,
		imageTransport: config.imageTransport,
		imageJobSlots: new ConcurrencyLimit(config.imageJobsAtOnce),
		jobDeadlineMs: config.jobDeadlineMs,
		lineDeadlineMs: config.lineDeadlineMs,
		line,
		submitRetryDelayMs: config.submitRetryDelayMs,
		firstPollAfterMs: config.polling.minIntervalMs,
		forecast,
		ownerId,
		...(queue ? { queue } : {}),
		now,
	});
	const images = new ImagePreparer({
		dispatcher: http,
		downloadTimeoutMs: config.downloadTimeoutMs,
		atOnce: config.imageJobsAtOnce,
	});
	const inputs = { images, limits: downloads };
	const menuTargets = new MenuTargetStore(store);
	const componentAccess = new ComponentAccessCheck(
		new CommandPermissions(client.rest, () => client.application?.id ?? client.user?.id),
	);
	const components = new ResultComponentRouter(
		{
			buttons: {
				reroll: createRerollButton(jobs, images),
				extend: createExtendButton(),
				delete: createDeleteButton(messenger),
				cancel: createCancelButton(line),
			},
			extendPrompt: createExtendPromptModal(jobs, videoDefaults),
		},
		jobStore,
		componentAccess,
		logger,
	);

	// Interactions: one entry for every command and component.
	const handlers: SubcommandHandlers = {
		'video text': createVideoHandler('text', jobs, videoDefaults, inputs),
		'video image': createVideoHandler('image', jobs, videoDefaults, inputs),
		'video frames': createVideoHandler('frames', jobs, videoDefaults, inputs),
		'video extend': createVideoHandler('extend', jobs, videoDefaults, inputs),
		'video settings': createVideoSettingsHandler(videoDefaults),
		'video jobs': createVideoJobsHandler(jobStore),
		'video usage': createVideoUsageHandler(quotas),
		'quota show': createQuotaShowHandler(quotas),
		'quota set': createQuotaSetHandler(quotas),
		'quota member': createQuotaMemberHandler(quotas),
		'quota role': createQuotaRoleHandler(quotas),
		'quota reset': createQuotaResetHandler(quotas),
		'moderation block': createModerationBlockHandler(blocklists),
		'moderation unblock': createModerationUnblockHandler(blocklists),
		'moderation list': createModerationListHandler(moderationRecords, blocklists),
		'moderation log': createModerationLogHandler({ records: moderationRecords, log: moderationLog, messenger, now }),
	};
	const menus = new MessageMenuRouter(
		createMenuOpener(videoDefaults, menuTargets),
		createMenuSubmit({
			jobs,
			access: componentAccess,
			jobStore,
			defaults: videoDefaults,
			targets: menuTargets,
			inputs,
		}),
		logger,
	);
	const router = new InteractionRouter({
		handlers,
		components: [components, menus],
		allowlist: new GuildAllowlist(config.allowedGuildIds),
		activity,
		logger,
	});
	client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
	client.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));

	// Operations.
	// A PostgreSQL server is shared and outside the process: like a provider incident, its outage is waited out, as
	// restarting the bot would not end it. A SQLite file is the process's own.
	const storeHealth = storeCheck(store, HEALTH_STORE_TIMEOUT_MS);
	const storeShared = isPostgresUrl(config.databaseUrl);
	const healthChecks: HealthChecks = {
		liveness: [...(storeShared ? [] : [storeHealth]), pollerCheck(poller, HEALTH_MAX_POLLER_LAG_MS)],
		// A provider incident is waited out like a Discord one: restarting the bot would not end it.
		readiness: [
			gatewayCheck(client),
			modelverseKeyCheck(keyWatch),
			...(sharedBudget ? [queryBudgetCheck(sharedBudget)] : []),
			...(storeShared ? [storeHealth] : []),
		],
	};

	let deletingExpired: NodeJS.Timeout | undefined;
	const deleteExpired = () =>
		deleteExpiredEntries(store, now()).catch((error: unknown) =>
			logger.warn({ err: error }, 'could not delete expired entries from the store'),
		);

	return {
		client,
		metrics,
		healthChecks,
		async start() {
			warnIfSpendingUnbounded(config, logger);
			await storeReady(store);
			await keyWatch.start();
			const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
			await client.login(config.discordToken);
			await ready;
			const applicationId = client.application?.id ?? client.user?.id;
			if (!applicationId) throw new Error('Discord did not say which application this bot is');
			await syncCommandsFromShardZero(
				client.ws.shards.keys(),
				client.rest,
				applicationId,
				commandDefinitions,
				logger,
				config.commandGuildId,
			);
			const { resumed, strayCredits } = await jobs.resume(client.guilds.cache.keys());
			queue?.start();
			poller.start(jobPoll.poll, forecast.forecast);
			await deleteExpired();
			deletingExpired = setInterval(() => void deleteExpired(), DELETE_EXPIRED_EVERY_MS).unref();
			logger.info(
				{
					ownerId,
					resumed,
					strayCredits,
					guilds: client.guilds.cache.size,
					heldShards: [...client.ws.shards.keys()],
					operatorBlockedTerms: blocklists.operatorTermCount,
				},
				'bot ready',
			);
		},
		async stop() {
			clearInterval(deletingExpired);
			await queue?.pause();
			keyWatch.stop();
			jobs.stop();
			moderationLog.stop();
			await Promise.race([
				Promise.all([router.drain(), poller.stop(), deliveries.stop(), line.stop()]).then(() => progress.drain()),
				sleep(DRAIN_LIMIT_MS, undefined, { ref: false }),
			]);
			progress.stop();
			sharedBudget?.close();
			await queue?.close();
			await client.destroy();
			postOnce.clearHashSweeper();
			postOnce.clearHandlerSweeper();
			await Promise.all([store.disconnect(), mutex.close()]);
			await http.close();
		},
	};
}
