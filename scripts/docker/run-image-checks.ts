import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { MessageFlags } from 'discord.js';
import sharp from 'sharp';
import { startDiscordStandIn } from '../../standins/discord/index.js';
import { startModelverseStandIn } from '../../standins/modelverse/modelverse-standin.js';
import { pass, seconds } from './check-report.js';
import { ContainerRun, type ImageConfig, readImageConfig } from './container-run.js';

const image = process.argv[2];
if (!image) throw new Error('usage: run-image-checks.ts <image>');

const NODE_UID = 1000;
const MODELVERSE_KEY = 'docker-check-modelverse-key-8c1f';
const STARTUP_TIMEOUT_MS = 60_000;
const JOB_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

const discord = await startDiscordStandIn();
const modelverse = await startModelverseStandIn({ apiKey: MODELVERSE_KEY });
// Docker gives a new named volume the owner of the image's /data; a bind-mounted directory needs it by hand.
const volume = mkdtempSync('/var/tmp/pixverse-bot-volume-');
chownSync(volume, NODE_UID, NODE_UID);
chmodSync(volume, 0o755);
const config = await readImageConfig(image);
const healthPort = await freePort();
const env = {
	DISCORD_TOKEN: discord.botToken,
	DISCORD_API_URL: discord.apiUrl,
	MODELVERSE_API_KEY: MODELVERSE_KEY,
	MODELVERSE_BASE_URL: modelverse.baseUrl,
	HEALTH_PORT: String(healthPort),
	POLL_MIN_INTERVAL_MS: '200',
	POLL_MAX_INTERVAL_MS: '1000',
};

let failed = false;
let current: ContainerRun | undefined;
try {
	const firstJobPrompt = 'a lighthouse at dusk, waves rolling in';
	const postedMessageId = await firstRun(firstJobPrompt);
	await secondRun(firstJobPrompt, postedMessageId);
} catch (error) {
	failed = true;
	console.error(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
	if (current) console.error(`last container output:\n${current.output.slice(-40).join('\n')}`);
	current?.kill();
} finally {
	await current?.remove();
	await Promise.all([discord.close(), modelverse.close()]);
	rmSync(volume, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function firstRun(prompt: string): Promise<string> {
	const run = await startContainer('pixverse-bot-check-1', config);
	checkRunsAsNode(run);

	const startedAt = performance.now();
	const channelId = discord.channelId;
	discord.runCommand({ name: 'video', subcommand: 'text', options: { prompt, resolution: '360p', duration: 5 } });
	const posted = await discord.waitFor(
		() =>
			discord
				.channelMessages(channelId)
				.find((message) => message.attachments.some((file) => file.filename.endsWith('.mp4'))),
		JOB_TIMEOUT_MS,
	);
	pass(`/video text job completed: video posted as message ${posted.id} (${seconds(startedAt)})`);

	const imagePosted = await imageJob(channelId);
	pass(
		`/video image job completed with a 2400 x 1600 PNG, sent scaled to 1920 x 1280 (sharp's libvips loads): ${imagePosted}`,
	);

	const healthExit = await run.exec(config.healthcheck);
	if (healthExit !== 0) throw new Error(`the HEALTHCHECK command exited ${healthExit}`);
	const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`).then((response) => response.text());
	pass(`HEALTHCHECK command exits 0; /healthz (liveness) says ${health}`);
	const readiness = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
	if (readiness.status !== 200) throw new Error(`/readyz answered ${readiness.status}: ${await readiness.text()}`);
	pass(`/readyz (readiness) says ${await readiness.text()}`);
	const metrics = await fetch(`http://127.0.0.1:${healthPort}/metrics`).then((response) => response.text());
	if (!metrics.includes('pixverse_bot_open_jobs')) throw new Error('/metrics lacks pixverse_bot_open_jobs');
	pass('/metrics answers in Prometheus format');

	await stopCleanly(run);
	const files = readdirSync(volume).map((file) => `${file} (uid ${statSync(join(volume, file)).uid})`);
	pass(`the volume holds ${files.join(', ')}`);
	return posted.id;
}

/** Members' images are scaled by sharp, whose prebuilt libvips the image must keep: a job proves it loads and works. */
async function imageJob(channelId: string): Promise<string> {
	const png = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#3366aa' } })
		.png()
		.toBuffer();
	const submitted = modelverse.submissions.length;
	discord.runCommand({
		name: 'video',
		subcommand: 'image',
		options: { image: { attachment: { filename: 'wide.png', bytes: png } }, prompt: 'the sky clears', duration: 1 },
	});
	const posted = await discord.waitFor(
		() =>
			discord
				.channelMessages(channelId)
				.filter((message) => message.attachments.some((file) => file.filename.endsWith('.mp4')))
				.at(1),
		JOB_TIMEOUT_MS,
	);
	const sent = modelverse.submissions[submitted]?.body.input.img_url ?? '';
	const { format, width, height } = await sharp(Buffer.from(sent.slice(sent.indexOf(',') + 1), 'base64')).metadata();
	if (format !== 'png' || width !== 1920 || height !== 1280) {
		throw new Error(`the provider received a ${format} of ${width} x ${height}, not a png of 1920 x 1280`);
	}
	return `video posted as message ${posted.id}`;
}

async function secondRun(prompt: string, postedMessageId: string): Promise<void> {
	const run = await startContainer('pixverse-bot-check-2', config);
	const handle = discord.runCommand({ name: 'video', subcommand: 'jobs' });
	const reply = await discord.waitFor(() => {
		const message = handle.original();
		return message && ((message.flags ?? 0) & MessageFlags.Loading) === 0 ? message : undefined;
	}, JOB_TIMEOUT_MS);
	const listed = [reply.content, ...reply.embeds.map((embed) => embed.description ?? '')].join('\n');
	if (!listed.includes(prompt.slice(0, 20)) || !listed.includes(postedMessageId)) {
		throw new Error(`/video jobs after a restart does not show the first job:\n${listed}`);
	}
	pass('the data survived a second run on the same volume: /video jobs lists the first job and its video');
	await stopCleanly(run);
}

async function startContainer(name: string, imageConfig: ImageConfig): Promise<ContainerRun> {
	const startedAt = performance.now();
	current = await ContainerRun.start({
		image: image as string,
		name,
		config: imageConfig,
		env,
		volume: { hostPath: volume, containerPath: '/data' },
	});
	await current.waitForLog('"bot ready"', (line) => line.includes('"msg":"bot ready"'), STARTUP_TIMEOUT_MS);
	pass(`${name}: ${[...imageConfig.entrypoint, ...imageConfig.cmd].join(' ')} is ready (${seconds(startedAt)})`);
	return current;
}

function checkRunsAsNode(run: ContainerRun): void {
	const processes = run.processes();
	const notNode = processes.filter((process) => process.uid !== NODE_UID);
	if (processes.length === 0 || notNode.length > 0) {
		throw new Error(`processes not running as uid ${NODE_UID}: ${JSON.stringify(notNode)}`);
	}
	const listed = processes.map((process) => `${process.commandLine} (uid ${process.uid})`);
	pass(`runs as node, not root: ${listed.join('; ')}`);
}

async function stopCleanly(run: ContainerRun): Promise<void> {
	const { exitCode, seconds: took } = await run.stop(STOP_TIMEOUT_MS);
	if (exitCode !== 0) throw new Error(`SIGTERM: the container exited with ${exitCode}`);
	pass(`SIGTERM: exited 0 after ${took.toFixed(1)} s`);
	await run.remove();
	current = undefined;
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (!address || typeof address === 'string') throw new Error('could not find a free port');
	return address.port;
}
