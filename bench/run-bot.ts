import { setTimeout as sleep } from 'node:timers/promises';
import { BotProcess, type ResourceUsage } from './bot-process.js';
import { seedHistory } from './history.js';
import type { Rig } from './rig.js';
import type { JobSpec } from './workload.js';

export interface BotRun {
	rig: Rig;
	env: Record<string, string>;
	/** Past jobs written to the store first; none is a cold start. */
	history?: JobSpec[];
	/** When to start sending, as an absolute time, so several bots' bursts do not overlap. */
	sendFrom: number;
	commandsPerSecond: number;
	/** Called once every job is submitted; may restart the bot and returns the processes it ran. */
	afterSubmitted?: (bot: BotProcess) => Promise<BotProcess>;
	timeoutMs: number;
	/** The compiled bot to run, when not the working tree's. */
	entry?: string;
}

export interface BotRunResult {
	usages: ResourceUsage[];
	/** The first process once warmed up and collected, just before the commands: what its memory grows from. */
	idle: ResourceUsage;
	finished: boolean;
}

/** Starts the bot, plays the commands at the given pace, waits for every video to be posted, and stops it. */
export async function runBot(run: BotRun): Promise<BotRunResult> {
	const { rig } = run;
	if (run.history) await seedHistory(run.env.DATABASE_URL ?? '', run.history);
	let bot = new BotProcess(run.env, run.entry);
	await bot.ready();
	await rig.warmUp();
	await sleep(Math.max(0, run.sendFrom - Date.now()));
	const idle = await bot.resourceUsage({ resting: true });
	const startedAt = Date.now();
	const gapMs = 1000 / run.commandsPerSecond;
	for (let index = 0; index < rig.jobs.length; index++) {
		await sleep(Math.max(0, startedAt + index * gapMs - Date.now()));
		rig.sendCommand(index);
	}
	const usages: ResourceUsage[] = [];
	if (run.afterSubmitted) {
		await until(() => rig.modelverse.submissions.length >= rig.jobs.length, run.timeoutMs);
		const restarted = await run.afterSubmitted(bot);
		if (restarted !== bot) usages.push(await previousUsage(bot));
		bot = restarted;
	}
	const finished = await until(() => rig.delivered >= rig.jobs.length, run.timeoutMs - (Date.now() - startedAt));
	usages.push(await bot.resourceUsage());
	await bot.stop();
	if (bot.errorCount > 0) console.error(`the bot logged errors:\n${bot.errors}`);
	return { usages, idle, finished };
}

const usageBeforeStop = new WeakMap<BotProcess, ResourceUsage>();

/** A restart hook records the old process's usage before stopping it, since a stopped process cannot answer. */
export async function stopRecordingUsage(bot: BotProcess): Promise<void> {
	usageBeforeStop.set(bot, await bot.resourceUsage());
	await bot.stop();
}

async function previousUsage(bot: BotProcess): Promise<ResourceUsage> {
	return usageBeforeStop.get(bot) ?? { maxRssKb: 0, rssKb: 0, cpuMicros: 0 };
}

export async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) return false;
		await sleep(250);
	}
	return true;
}
