import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIMessage } from 'discord.js';
import type { RecordedRequest } from '../standins/discord/index.js';
import { startHarness } from '../standins/harness.js';
import { fetchBytes, postedVideos, visibleText, waitForPostedVideo } from '../standins/journeys.js';
import { JPEG, MP4, PNG } from '../standins/media-fixtures.js';

/**
 * Plays one job of each mode through the real bot, against the stand-in Discord and Modelverse on this machine, then
 * two jobs at once from a member who may run one at a time (the second waits in line), then Animate this image on
 * another member's photo, printing what a member would see. Needs no token and no network.
 */
const outputDir = join('data', 'demo');
mkdirSync(outputDir, { recursive: true });

const harness = await startHarness({
	env: {
		LOG_LEVEL: 'warn',
		POLL_MIN_INTERVAL_MS: '300',
		POLL_MAX_INTERVAL_MS: '1000',
		MAX_RUNNING_JOBS_PER_MEMBER: '1',
	},
	modelverse: { plan: () => ({ queueMs: 800, renderMs: 2_500, outcome: 'Success', videoBytes: 256 * 1024 }) },
});

const indent = (text: string) => text.replace(/^/gm, '    │ ');

interface ModalShown {
	custom_id: string;
	title: string;
	components: unknown[];
}

/** The modal's text and field labels, as the member reads them. */
function modalText(modal: ModalShown): string {
	const texts = [...JSON.stringify(modal.components).matchAll(/"(?:content|label)":"((?:[^"\\]|\\.)*)"/g)];
	return texts.map(([, text]) => JSON.parse(`"${text}"`) as string).join('\n');
}

/** Discord renders `<t:UNIX:R>` as a live "in 5 seconds"; the terminal gets the same words, fixed at print time. */
function renderTimestamps(text: string): string {
	return text.replace(/<t:(\d+):R>/g, (_whole, unix: string) => {
		const seconds = Math.round(Number(unix) - Date.now() / 1000);
		return seconds >= 0 ? `in ${seconds}s` : `${-seconds}s ago`;
	});
}

function describeEdit(request: RecordedRequest): string | undefined {
	const isReplyEdit = request.method === 'PATCH' && request.path.endsWith('/messages/@original');
	const isChannelPost = request.method === 'POST' && request.path.endsWith('/messages');
	if (!isReplyEdit && !isChannelPost) return undefined;
	const message = request.response as APIMessage | undefined;
	if (!message?.id) return undefined;
	const files = request.files.map((file) => `📎 ${file.filename} (${file.bytes.length} bytes)`);
	const labels = [...JSON.stringify(message.components ?? []).matchAll(/"label":"([^"]+)"/g)].map(([, label]) => label);
	if (labels.length > 0) files.push(labels.map((label) => `[ ${label} ]`).join(' '));
	const heading = isReplyEdit ? 'progress reply edited' : 'new message in the channel';
	return `  ${heading}:\n${indent(renderTimestamps([visibleText(message).trim(), ...files].join('\n')))}`;
}

harness.discord.on('request', (request) => {
	const line = describeEdit(request);
	if (line) console.log(line);
});

const image = { attachment: { filename: 'cat.png', bytes: PNG } };
const jobs = [
	{ subcommand: 'text', options: { prompt: 'a lighthouse in a storm, cinematic', resolution: '720p', duration: 5 } },
	{ subcommand: 'image', options: { image, prompt: 'the cat turns its head and blinks', duration: 4 } },
	{
		subcommand: 'frames',
		options: {
			first: image,
			last: { attachment: { filename: 'dog.jpg', bytes: JPEG } },
			prompt: 'the cat becomes a dog',
			resolution: '540p',
		},
	},
	{
		subcommand: 'extend',
		options: { prompt: 'the camera pulls back', video: { attachment: { filename: 'clip.mp4', bytes: MP4 } } },
	},
] as const;

try {
	for (const [index, job] of jobs.entries()) {
		const user = { id: `31000000000000000${index + 1}`, username: `member${index + 1}` };
		console.log(
			`\n▶ ${user.username} runs /video ${job.subcommand} ${JSON.stringify(job.options, (key, value) => (key === 'bytes' ? '…' : value))}`,
		);
		const handle = harness.discord.runCommand({
			name: 'video',
			subcommand: job.subcommand,
			options: job.options,
			user,
		});
		const posted = await waitForPostedVideo(harness, user.id, 60_000);
		await harness.discord.waitFor(() => visibleText(handle.original()).includes(posted.id), 10_000);
		const [attachment] = posted.attachments;
		if (attachment) {
			const file = join(outputDir, `${job.subcommand}-${attachment.filename}`);
			writeFileSync(file, await fetchBytes(attachment.url));
			console.log(`  saved the posted video to ${file}`);
		}
	}
	const member = { id: '310000000000000005', username: 'member5' };
	console.log(
		`\n▶ ${member.username} runs two /video text jobs at once; here a member makes one video at a time, so the second waits in line`,
	);
	const [, second] = ['a paper boat on a pond', 'the same boat at night, lanterns lit'].map((prompt) =>
		harness.discord.runCommand({ name: 'video', subcommand: 'text', options: { prompt, duration: 3 }, user: member }),
	);
	await harness.discord.waitFor(() => postedVideos(harness, member.id).length === 2, 60_000);
	await harness.discord.waitFor(() => visibleText(second?.original()).includes('Done'), 10_000);
	const animator = { id: '310000000000000006', username: 'member6' };
	const photo = harness.discord.postMemberMessage({
		user: { id: '310000000000000007', username: 'member7' },
		content: 'look at my cat',
		files: [{ filename: 'cat.png', bytes: PNG }],
	});
	console.log(`\n▶ ${animator.username} right-clicks member7's photo → Apps → Animate this image`);
	const menu = harness.discord.runMessageCommand({ name: 'Animate this image', messageId: photo.id, user: animator });
	const modal = (await harness.discord.waitFor(() => menu.callbacks()[0])) as { data: ModalShown };
	console.log(`  a form opens, "${modal.data.title}":\n${indent(modalText(modal.data))}`);
	console.log('  they write "the cat stretches and yawns" and send it');
	const submit = harness.discord.submitModal({
		customId: modal.data.custom_id,
		fields: { prompt: 'the cat stretches and yawns' },
		user: animator,
	});
	const animated = await waitForPostedVideo(harness, animator.id, 60_000);
	await harness.discord.waitFor(() => visibleText(submit.original()).includes(animated.id), 10_000);
	console.log(
		`\nAll four modes, a job that waited in line and one from a message's menu played through the real bot; the videos are in ${outputDir}/.`,
	);
} finally {
	await harness.close();
}
