import type { APIEmbed, APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../standins/discord/index.js';
import type { Harness } from '../standins/harness.js';
import { jobEnded, jobsOf, MEMBER, privateAnswer, runVideo, waitForDelivered } from '../standins/journeys.js';
import { startHarnessForTest } from './support/harness-per-test.js';

const SIGNS = '**__~~||``**__~~||';
const ESCAPED_SIGNS = '\\*\\*\\_\\_\\~\\~\\|\\|\\`\\`\\*\\*\\_\\_\\~\\~\\|\\|';
/**
 * Markdown of every kind, masked links, a mention and @everyone, to 2048 characters: escaped, it grows to about 3250,
 * more than fits beside a failure's reason.
 */
const PROMPT = [
	...`${SIGNS.repeat(6)} [docs](https://evil.example) [more](https://evil.example) <@310000000000000002> @everyone \\ `.repeat(
		11,
	),
]
	.slice(0, 2048)
	.join('');
/** Nothing but markdown signs: escaped, 4096 characters, more than a description holds beside its label. */
const ALL_SIGNS = SIGNS.repeat(114).slice(0, 2048);
/** A provider's reason for a failure, far past what a message can hold. */
const REASON = `**Refused**: ${'the content policy was hit by [this](https://x.example) _part_ '.repeat(90)}`;

const length = (text: string | undefined) => [...(text ?? '')].length;

function embedsTotal(embeds: APIEmbed[]): number {
	return embeds.reduce(
		(sum, embed) =>
			sum +
			length(embed.title) +
			length(embed.description) +
			(embed.fields ?? []).reduce((fields, field) => fields + length(field.name) + length(field.value), 0),
		0,
	);
}

function expectWithinDiscordLimits(message: { content?: string; embeds?: APIEmbed[] }): void {
	expect(length(message.content)).toBeLessThanOrEqual(2000);
	for (const embed of message.embeds ?? []) {
		expect(length(embed.title)).toBeLessThanOrEqual(256);
		expect(length(embed.description)).toBeLessThanOrEqual(4096);
		for (const field of embed.fields ?? []) expect(length(field.value)).toBeLessThanOrEqual(1024);
	}
	expect(embedsTotal(message.embeds ?? [])).toBeLessThanOrEqual(6000);
}

describe('every message fits Discord’s limits, and a prompt shows as the member typed it', () => {
	let harness: Harness;

	/** Every edit of the progress reply the bot sent, with Discord's answer to it. */
	function progressEdits(handle: InteractionHandle) {
		const path = `/webhooks/${harness.discord.applicationId}/${handle.token}/messages/@original`;
		return harness.discord.requests.filter((request) => request.method === 'PATCH' && request.path === path);
	}

	it('a 2048-character prompt full of markdown and a 5000-character failure reason: every edit lands, escaped and cut', async () => {
		harness = await startHarnessForTest({
			modelverse: { plan: () => ({ queueMs: 20, renderMs: 50, outcome: 'Failure', errorMessage: REASON }) },
		});
		expect(length(REASON)).toBeGreaterThan(5000);

		const handle = runVideo(harness, 'text', { prompt: PROMPT });
		const shown = await jobEnded(harness, handle);

		const edits = progressEdits(handle);
		expect(edits.length).toBeGreaterThan(1);
		expect(edits.map((edit) => edit.status)).toEqual(edits.map(() => 200));
		for (const edit of edits) expectWithinDiscordLimits(edit.body as APIMessage);
		const [embed] = handle.original()?.embeds ?? [];
		expect(embed?.title).toBe('Failed');
		expect(embed?.description).toContain(`>>> ${ESCAPED_SIGNS.repeat(6)} \\[docs](https://evil.example) \\[more]`);
		expect(embed?.description).not.toMatch(/[^\\]\[(docs|more|this)\]/);
		expect(embed?.description).toMatch(/…\n\nThe video could not be made: \\\*\\\*Refused\\\*\\\*: the content policy/);
		expect(embed?.description).toMatch(
			/(the content policy was hit by \\\[this\]\(https:\/\/x\.example\) \\_part\\_ ){10}.*…$/s,
		);
		expect(shown).not.toContain(REASON.slice(0, 200));
	});

	it('a prompt of nothing but markdown on a delivered video: the post and every edit land, escaped and cut, mentioning only the requester', async () => {
		harness = await startHarnessForTest();

		const handle = runVideo(harness, 'text', { prompt: ALL_SIGNS });
		const posted = await waitForDelivered(harness, handle);

		const description = posted.embeds[0]?.description ?? '';
		expect(description.startsWith(`**Prompt**\n>>> ${ESCAPED_SIGNS.repeat(100)}`)).toBe(true);
		expect(description.endsWith('…')).toBe(true);
		expectWithinDiscordLimits(posted);
		const post = harness.discord.requests.find(
			(request) => (request.response as APIMessage | undefined)?.id === posted.id,
		);
		expect(post?.body).toMatchObject({ allowed_mentions: { users: [MEMBER.id], parse: [] } });
		for (const edit of progressEdits(handle)) {
			expect(edit.status).toBe(200);
			expect((edit.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
		}
		expect(await jobsOf(harness)).toContain(`· ${ESCAPED_SIGNS.repeat(3)}`);
	});

	it('an answer quoting what a member sent is cut to fit, so it still reaches them', async () => {
		harness = await startHarnessForTest();

		const handle = runVideo(harness, 'text', { prompt: 'waves', resolution: 'x'.repeat(3000) });

		const answer = await privateAnswer(harness, handle);
		expect(answer).toMatch(/^`x+…$/);
		expect(length(answer)).toBe(2000);
		expect(harness.modelverse.submissions).toEqual([]);
	});
});
