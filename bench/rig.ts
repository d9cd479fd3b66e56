import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	type CommandOptionValue,
	type DiscordStandIn,
	type GuildSeed,
	startDiscordStandIn,
} from '../standins/discord/index.js';
import { nextSnowflake } from '../standins/discord/snowflake.js';
import { MODELVERSE_TEST_KEY } from '../standins/harness.js';
import { privateAnswerNow } from '../standins/journeys.js';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';
import { indexFromPrompt, type JobSpec, promptFor } from './workload.js';

/** Discord's observed edit limit per channel; the stand-in answers 429 beyond it. */
const EDIT_LIMIT = { perChannel: 5, windowMs: 5_000 };
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
	/** Video posts with the file attached, by job index. */
	postedAt: Map<number, number>;
}

/** One bot's world: a stand-in Discord with many channels, a stand-in Modelverse playing the planned jobs, a data dir. */
export class Rig {
	readonly recording: Recording = {
		sentAt: new Map(),
		deferredAt: new Map(),
		deferStatus: new Map(),
		firstDownloadAt: new Map(),
		postedAt: new Map(),
	};
	readonly dataDir = mkdtempSync(join(tmpdir(), 'pixverse-bench-'));
	readonly #interactionIndex = new Map<string, number>();
	readonly #channels: string[];

	private constructor(
		readonly discord: DiscordStandIn,
		readonly modelverse: ModelverseStandIn,
		readonly jobs: JobSpec[],
		guilds: GuildSeed[],
		private readonly warmUpChannelId: string,
		private readonly commandFor: CommandFor,
	) {
		this.#channels = guilds.flatMap((guild) => (guild.channels ?? []).map((channel) => channel.id));
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
			if (request.method === 'POST' && request.files.length > 0 && request.status < 300) {
				const content = JSON.stringify(request.body ?? '');
				const index = /bench job #(\d+)/.exec(content)?.[1];
				if (index !== undefined) this.recording.postedAt.set(Number(index), request.time);
			}
		});
	}

	/** Two jobs per channel, five channels per guild; or, with `oneChannel`, every job in one channel of one guild. */
	static async start(
		jobs: JobSpec[],
		videoBytes: number,
		{ oneChannel = false, commandFor = textCommand }: { oneChannel?: boolean; commandFor?: CommandFor } = {},
	): Promise<Rig> {
		const guildCount = oneChannel ? 1 : Math.max(1, Math.ceil(jobs.length / (2 * CHANNELS_PER_GUILD)));
		const channelsPerGuild = oneChannel ? 1 : CHANNELS_PER_GUILD;
		const guilds: GuildSeed[] = Array.from({ length: guildCount }, (_, g) => ({
			id: nextSnowflake(),
			name: `bench ${g}`,
			channels: Array.from({ length: channelsPerGuild }, (_, c) => ({ id: nextSnowflake(), name: `videos-${c}` })),
		}));
		// Its own channel, so the warm-up's replies never count against a job channel's edit limit.
		const warmUpGuild: GuildSeed = { id: nextSnowflake(), name: 'warm-up', channels: [{ id: nextSnowflake() }] };
		const discord = await startDiscordStandIn({ guilds: [warmUpGuild, ...guilds], editRateLimit: EDIT_LIMIT });
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
		const rig = new Rig(discord, modelverse, jobs, guilds, warmUpGuild.channels?.[0]?.id ?? '', commandFor);
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
	}

	/**
	 * A few `/video usage` commands before measuring: both the bot and the stand-in compile their code paths (and the
	 * stand-in its OpenAPI schemas) on first use, which a bot that has been up for a while has long done.
	 */
	async warmUp(): Promise<void> {
		for (let round = 0; round < 3; round++) {
			const handle = this.discord.runCommand({
				name: 'video',
				subcommand: 'usage',
				user: { id: '339999999999999999', username: 'warm-up' },
				channelId: this.warmUpChannelId,
			});
			await this.discord.waitFor(() => privateAnswerNow(handle), 15_000);
		}
	}

	get delivered(): number {
		return this.recording.postedAt.size;
	}

	async close(): Promise<void> {
		await Promise.all([this.discord.close(), this.modelverse.close()]);
		rmSync(this.dataDir, { recursive: true, force: true });
	}
}
