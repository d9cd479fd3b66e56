import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	type CommandOptionValue,
	type DiscordStandIn,
	type GuildSeed,
	shardOfGuild,
	startDiscordStandIn,
} from '../standins/discord/index.js';
import { nextSnowflake } from '../standins/discord/snowflake.js';
import { MODELVERSE_TEST_KEY } from '../standins/harness.js';
import { privateAnswerNow } from '../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';
import { indexFromPrompt, type JobSpec, promptFor } from './workload.js';

const CHANNELS_PER_GUILD = 5;

/** What a job's command sends besides its prompt; `/video text` with the job's settings unless a scenario says. */
export type CommandFor = (job: JobSpec) => { subcommand: string; options: Record<string, CommandOptionValue> };

const textCommand: CommandFor = (job) => ({
	subcommand: 'text',
	options: { resolution: job.resolution, duration: job.duration },
});

export interface Recording {
	/** Command index → when it was sent and when Discord received the deferral. */
	sentAt: Map<number, number>;
	deferredAt: Map<number, number>;
	deferStatus: Map<number, number>;
	/** Task id → when the bot first asked for the finished video. */
	firstDownloadAt: Map<string, number>;
	/** Video posts with the file attached, by job index: the last one's time, and how many there were. */
	postedAt: Map<number, number>;
	postCount: Map<number, number>;
	/** When Discord took the edit that shows a job's reply in its final, done state, by job index. */
	replyDoneAt: Map<number, number>;
}

/** A fresh snowflake that Discord routes to `shard` of `shards`: its timestamp part moved on until it does. */
function guildIdOnShard(shard: number, shards: number): string {
	let id = BigInt(nextSnowflake());
	while (shardOfGuild(id.toString(), shards) !== shard) id += 1n << 22n;
	return id.toString();
}

/** The colour of a progress reply whose job is done (src/video/progress/progress-view.ts). */
const DONE_COLOUR = 0x57f287;
const REPLY_EDIT = '/webhooks/{webhook_id}/{webhook_token}/messages/@original';

/** One bot's world: a stand-in Discord with many channels, a stand-in Modelverse playing the planned jobs, a data dir. */
export class Rig {
	readonly recording: Recording = {
		sentAt: new Map(),
		deferredAt: new Map(),
		deferStatus: new Map(),
		firstDownloadAt: new Map(),
		postedAt: new Map(),
		postCount: new Map(),
		replyDoneAt: new Map(),
	};
	readonly dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bench-'));
	readonly #interactionIndex = new Map<string, number>();
	readonly #tokenIndex = new Map<string, number>();
	readonly #channels: string[];
	readonly #guildOfChannel = new Map<string, string>();

	private constructor(
		readonly discord: DiscordStandIn,
		readonly modelverse: ModelverseStandIn,
		readonly jobs: JobSpec[],
		guilds: GuildSeed[],
		private readonly warmUpChannelIds: string[],
		private readonly commandFor: CommandFor,
	) {
		this.#channels = guilds.flatMap((guild) => (guild.channels ?? []).map((channel) => channel.id));
		for (const guild of guilds)
			for (const channel of guild.channels ?? []) this.#guildOfChannel.set(channel.id, guild.id);
		discord.on('request', (request) => {
			if (
				request.method === 'POST' &&
				request.route === '/interactions/{interaction_id}/{interaction_token}/callback'
			) {
				const index = this.#interactionIndex.get(request.path.split('/')[2] ?? '');
				if (index === undefined) return;
				this.recording.deferredAt.set(index, request.time);
				this.recording.deferStatus.set(index, request.status);
			}
			if (request.method === 'PATCH' && request.route === REPLY_EDIT && request.status === 200) {
				const index = this.#tokenIndex.get(request.path.split('/')[3] ?? '');
				const colour = (request.body as { embeds?: Array<{ color?: number }> }).embeds?.[0]?.color;
				if (index !== undefined && colour === DONE_COLOUR) this.recording.replyDoneAt.set(index, request.time);
			}
			if (request.method === 'POST' && request.files.length > 0 && request.status < 300) {
				const content = JSON.stringify(request.body ?? '');
				const index = /bench job #(\d+)/.exec(content)?.[1];
				if (index === undefined) return;
				this.recording.postedAt.set(Number(index), request.time);
				this.recording.postCount.set(Number(index), (this.recording.postCount.get(Number(index)) ?? 0) + 1);
			}
		});
	}

	/**
	 * Two jobs per channel, five channels per guild; or, with `oneChannel`, every job in one channel of one guild. With
	 * `shards`, guild `g` lies on shard `g % shards` as Discord routes it, so consecutive commands alternate between shards.
	 */
	static async start(
		jobs: JobSpec[],
		videoBytes: number,
		{
			oneChannel = false,
			commandFor = textCommand,
			shards = 1,
		}: { oneChannel?: boolean; commandFor?: CommandFor; shards?: number } = {},
	): Promise<Rig> {
		const guildCount = oneChannel ? 1 : Math.max(1, Math.ceil(jobs.length / (2 * CHANNELS_PER_GUILD)));
		const channelsPerGuild = oneChannel ? 1 : CHANNELS_PER_GUILD;
		const guilds: GuildSeed[] = Array.from({ length: guildCount }, (_, g) => ({
			id: guildIdOnShard(g % shards, shards),
			name: `bench ${g}`,
			channels: Array.from({ length: channelsPerGuild }, (_, c) => ({ id: nextSnowflake(), name: `videos-${c}` })),
		}));
		// Their own channels, one per shard, so the warm-up's replies never count against a job channel's rate limit.
		const warmUpGuilds: GuildSeed[] = Array.from({ length: shards }, (_, shard) => ({
			id: guildIdOnShard(shard, shards),
			name: `warm-up ${shard}`,
			channels: [{ id: nextSnowflake() }],
		}));
		const discord = await startDiscordStandIn({ guilds: [...warmUpGuilds, ...guilds] });
		const firstDownloadAt = new Map<string, number>();
		const modelverse = await startModelverseStandIn({
			apiKey: MODELVERSE_TEST_KEY,
			plan: (body) => {
				const job = jobs[indexFromPrompt(body.input.prompt)];
				if (!job) throw new Error(`no planned job for ${body.input.prompt}`);
				return { queueMs: job.queueMs, renderMs: job.renderMs, outcome: 'Success', videoBytes };
			},
			onEvent: (event) => {
				if (event.route === 'download' && event.status === 200 && event.taskId && !firstDownloadAt.has(event.taskId)) {
					firstDownloadAt.set(event.taskId, Date.now());
				}
			},
		});
		const warmUpChannelIds = warmUpGuilds.map((guild) => guild.channels?.[0]?.id ?? '');
		const rig = new Rig(discord, modelverse, jobs, guilds, warmUpChannelIds, commandFor);
		rig.recording.firstDownloadAt = firstDownloadAt;
		return rig;
	}

	/** The bot's settings: production defaults, pointed at the stand-ins, with limits wide enough for one member per job. */
	botEnvironment(overrides: Record<string, string>): Record<string, string> {
		return {
			DISCORD_TOKEN: this.discord.botToken,
			DISCORD_API_URL: this.discord.apiUrl,
			MODELVERSE_API_KEY: MODELVERSE_TEST_KEY,
			MODELVERSE_BASE_URL: this.modelverse.baseUrl,
			DATABASE_URL: `sqlite://${join(this.dataDir, 'bot.sqlite')}`,
			LOG_LEVEL: 'info',
			MAX_RUNNING_JOBS_PER_MEMBER: '10',
			MAX_RUNNING_JOBS_PER_SERVER: '100000',
			DEFAULT_SERVER_CREDITS: '100000000',
			// The operator's monthly caps would refuse a large burst in one server: the bench measures the bot, not them.
			SERVER_MONTHLY_CAP: '0',
			MONTHLY_CREDIT_CAP: '0',
			...overrides,
		};
	}

	/** Sends job `index` (`/video text` unless the rig says otherwise), from its own member, in a channel of its own guild. */
	sendCommand(index: number): void {
		const job = this.jobs[index];
		if (!job) throw new Error(`no job ${index}`);
		const channelId = this.#channels[index % this.#channels.length] ?? '';
		const { subcommand, options } = this.commandFor(job);
		this.recording.sentAt.set(index, Date.now());
		const handle = this.discord.runCommand({
			name: 'video',
			subcommand,
			options: { prompt: promptFor(index), ...options },
			user: { id: `33${String(index).padStart(16, '0')}`, username: `member${index}` },
			channelId,
		});
		this.#interactionIndex.set(handle.id, index);
		this.#tokenIndex.set(handle.token, index);
	}

	/**
	 * A few `/video usage` commands before measuring: both the bot and the stand-in compile their code paths (and the
	 * stand-in its OpenAPI schemas) on first use, which a bot that has been up for a while has long done.
	 */
	async warmUp(): Promise<void> {
		for (const channelId of this.warmUpChannelIds) {
			for (let round = 0; round < 3; round++) {
				const handle = this.discord.runCommand({
					name: 'video',
					subcommand: 'usage',
					user: { id: '339999999999999999', username: 'warm-up' },
					channelId,
				});
				await this.discord.waitFor(() => privateAnswerNow(handle), 15_000);
			}
		}
	}

	/** The guild job `index`'s command is sent in. */
	guildOf(index: number): string {
		return this.#guildOfChannel.get(this.#channels[index % this.#channels.length] ?? '') ?? '';
	}

	get delivered(): number {
		return this.recording.postedAt.size;
	}

	async close(): Promise<void> {
		await Promise.all([this.discord.close(), this.modelverse.close()]);
		rmSync(this.dataDir, { recursive: true, force: true });
	}
}
