import type Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/storage/store.js';
import { type Harness, startHarness } from '../standins/harness.js';
import {
	attachment,
	extendWithPrompt,
	jobEnded,
	logEntries,
	MEMBER,
	postedVideos,
	privateAnswer,
	resultButtonId,
	runVideo,
	someMember,
	visibleText,
	waitForDelivered,
} from '../standins/journeys.js';
import { PNG } from '../standins/media-fixtures.js';

const HOW_USED =
	'They apply in every server, to `/video` and to the Extend button; `aspect_ratio` only to text videos. Reroll keeps the settings of the video it rerolls. `/video settings reset:True` clears yours.';

const parametersOf = (harness: Harness, index: number) => harness.modelverse.submissions[index]?.body.parameters;

describe('/video settings: a member’s own defaults for new videos', () => {
	let harness: Harness;

	afterEach(async () => {
		await harness.closeChecked();
	});

	it('stores a member’s defaults, shows them, and clears them with reset:True, each answer only the member sees', async () => {
		harness = await startHarness();
		const firstLook = runVideo(harness, 'settings', {});
		expect(await privateAnswer(harness, firstLook)).toBe(
			[
				'New videos you make use these settings unless you give the option:',
				'`resolution`: **720p** (the bot’s default)',
				'`aspect_ratio`: **16:9** (the bot’s default)',
				'`duration`: **5s** (the bot’s default)',
				'`audio`: **off** (the bot’s default)',
				HOW_USED,
			].join('\n'),
		);
		expect(firstLook.callbacks()).toMatchObject([{ type: 5, data: { flags: 64 } }]);

		const saved = await privateAnswer(harness, runVideo(harness, 'settings', { resolution: '360p', audio: true }));
		expect(saved).toBe(
			[
				'Saved. New videos you make use these settings unless you give the option:',
				'`resolution`: **360p** (yours)',
				'`aspect_ratio`: **16:9** (the bot’s default)',
				'`duration`: **5s** (the bot’s default)',
				'`audio`: **on** (yours)',
				HOW_USED,
			].join('\n'),
		);
		const added = await privateAnswer(harness, runVideo(harness, 'settings', { duration: 3, aspect_ratio: '9:16' }));
		expect(added).toContain(
			'`resolution`: **360p** (yours)\n`aspect_ratio`: **9:16** (yours)\n`duration`: **3s** (yours)',
		);
		expect(await privateAnswer(harness, runVideo(harness, 'settings', {}, { user: someMember(1) }))).toContain(
			'`resolution`: **720p** (the bot’s default)',
		);
		const inChinese = await privateAnswer(harness, runVideo(harness, 'settings', {}, { locale: 'zh-CN' }));
		expect(inChinese).toContain('`resolution`：**360p**（你的设置）');
		expect(inChinese).toContain('`duration`：**3 秒**（你的设置）');

		const refusals = [
			runVideo(harness, 'settings', { reset: true, duration: 4 }),
			runVideo(harness, 'settings', { resolution: '4k' }),
			runVideo(harness, 'settings', { duration: 16 }),
		];
		expect(await Promise.all(refusals.map((refused) => privateAnswer(harness, refused)))).toEqual([
			'`reset` clears all your defaults, so give it on its own.',
			'`4k` is not a valid resolution.',
			'The duration must be a whole number of seconds from 1 to 15.',
		]);
		expect(await privateAnswer(harness, runVideo(harness, 'settings', {}))).toContain('`duration`: **3s** (yours)');

		const cleared = await privateAnswer(harness, runVideo(harness, 'settings', { reset: true }));
		expect(cleared).toBe(
			[
				'Your defaults were cleared; the bot’s apply again:',
				'`resolution`: **720p** (the bot’s default)',
				'`aspect_ratio`: **16:9** (the bot’s default)',
				'`duration`: **5s** (the bot’s default)',
				'`audio`: **off** (the bot’s default)',
			].join('\n'),
		);
		expect(await privateAnswer(harness, runVideo(harness, 'settings', { reset: true }))).toContain(
			'You had no defaults of your own; the bot’s apply:',
		);
		expect(harness.modelverse.submissions).toHaveLength(0);
	});

	it('a job takes each option given, else the member’s default, else the bot’s, in every server, and its progress and result show what was used', async () => {
		const [firstGuild, secondGuild] = ['340000000000000010', '340000000000000020'];
		harness = await startHarness({
			discord: {
				guilds: [
					{ id: firstGuild, channels: [{ id: '340000000000000011' }] },
					{ id: secondGuild, channels: [{ id: '340000000000000021' }] },
				],
			},
		});
		await privateAnswer(
			harness,
			runVideo(harness, 'settings', { resolution: '360p', aspect_ratio: '9:16', duration: 3, audio: true }),
		);

		// duration given, the rest from the member's defaults: 4 s × 1 (360p) × 1.3 (audio) = 5.2, so 6 credits.
		const mixed = runVideo(harness, 'text', { prompt: 'a heron in the reeds', duration: 4 });
		const posted = await waitForDelivered(harness, mixed);
		expect(parametersOf(harness, 0)).toMatchObject({
			resolution: '360p',
			aspect_ratio: '9:16',
			duration: 4,
			generate_audio: 1,
		});
		expect(visibleText(mixed.original())).toMatch(/360p · 4s · 9:16 · audio on · seed \d+ · 6 credits/);
		expect(posted.content).toMatch(/text to video · 360p · 4s · 9:16 · audio on · seed \d+ · 6 credits/);

		const explicit = runVideo(harness, 'text', {
			prompt: 'a heron takes off',
			resolution: '540p',
			aspect_ratio: '1:1',
			duration: 2,
			audio: false,
		});
		expect(await jobEnded(harness, explicit)).toMatch(/540p · 2s · 1:1 · audio off/);
		expect(parametersOf(harness, 1)).toMatchObject({
			resolution: '540p',
			aspect_ratio: '1:1',
			duration: 2,
			generate_audio: 0,
		});

		const image = runVideo(harness, 'image', { image: attachment('heron.png', PNG), prompt: 'the heron blinks' });
		expect(await jobEnded(harness, image)).toMatch(/360p · 3s · audio on/);
		expect(parametersOf(harness, 2)).toMatchObject({ resolution: '360p', duration: 3, generate_audio: 1 });
		expect(parametersOf(harness, 2)).not.toHaveProperty('aspect_ratio');

		const elsewhere = harness.discord.runCommand({
			name: 'video',
			subcommand: 'text',
			options: { prompt: 'a heron in another server' },
			user: MEMBER,
			guildId: secondGuild,
		});
		expect(await jobEnded(harness, elsewhere)).toMatch(/360p · 3s · 9:16 · audio on/);
		expect(parametersOf(harness, 3)).toMatchObject({ resolution: '360p', aspect_ratio: '9:16', duration: 3 });

		const someoneElse = runVideo(harness, 'text', { prompt: 'a crane in the mist' }, { user: someMember(1) });
		expect(await jobEnded(harness, someoneElse)).toMatch(/720p · 5s · 16:9 · audio off/);
		expect(parametersOf(harness, 4)).toMatchObject({
			resolution: '720p',
			aspect_ratio: '16:9',
			duration: 5,
			generate_audio: 0,
		});
	});

	it('Reroll keeps the settings of the video it rerolls; Extend takes the presser’s defaults, as /video extend would', async () => {
		harness = await startHarness();
		const first = await waitForDelivered(
			harness,
			runVideo(harness, 'text', { prompt: 'a kite over dunes', resolution: '540p', duration: 4, aspect_ratio: '4:3' }),
		);
		await privateAnswer(
			harness,
			runVideo(harness, 'settings', { resolution: '360p', duration: 2, audio: true, aspect_ratio: '9:16' }),
		);

		const reroll = harness.discord.pressButton({
			messageId: first.id,
			customId: resultButtonId(first, 'reroll'),
			user: MEMBER,
		});
		expect(await jobEnded(harness, reroll)).toMatch(/540p · 4s · 4:3 · audio off/);
		expect(parametersOf(harness, 1)).toMatchObject({
			resolution: '540p',
			duration: 4,
			aspect_ratio: '4:3',
			generate_audio: 0,
		});

		const extend = await extendWithPrompt(harness, first, 'the kite string snaps');
		expect(await jobEnded(harness, extend)).toMatch(/360p · 2s · audio on/);
		expect(parametersOf(harness, 2)).toMatchObject({ resolution: '360p', duration: 2, generate_audio: 1 });
		expect(parametersOf(harness, 2)).not.toHaveProperty('aspect_ratio');
		await harness.discord.waitFor(() => postedVideos(harness).length === 3, 10_000);
		expect(postedVideos(harness)[2]?.content).toMatch(/extend a video · 360p · 2s · audio on/);

		const byAnother = await extendWithPrompt(harness, first, 'the dunes shift', { user: someMember(1) });
		expect(await jobEnded(harness, byAnother)).toMatch(/720p · 5s · audio off/);
		expect(parametersOf(harness, 3)).toMatchObject({ resolution: '720p', duration: 5, generate_audio: 0 });
	});

	it('defaults that cannot be read refuse the member’s jobs with a way out, spend nothing, and tell the operator; reset:True clears them', async () => {
		let store: Keyv | undefined;
		harness = await startHarness({ openStore: (url) => (store = openStore(url)) });
		const key = `user:${MEMBER.id}:video-defaults`;
		await store?.set(key, { resolution: '4k', schemaVersion: 1 });

		const refused = runVideo(harness, 'text', { prompt: 'a lantern on a jetty' });
		expect(await privateAnswer(harness, refused)).toBe(
			'Your saved defaults could not be read, so nothing was made. Run `/video settings reset:True`, then set them again.',
		);
		expect(harness.modelverse.submissions).toHaveLength(0);
		expect(logEntries(harness, { msg: /video defaults cannot be read/, level: 50 })).toMatchObject([
			{ userId: MEMBER.id, key, quarantinedAs: `quarantine:${key}` },
		]);
		expect(await store?.get(`quarantine:${key}`)).toMatchObject({
			key,
			problem: expect.stringContaining('resolution'),
		});

		expect(await privateAnswer(harness, runVideo(harness, 'settings', { reset: true }))).toContain(
			'Your defaults were cleared',
		);
		expect(await jobEnded(harness, runVideo(harness, 'text', { prompt: 'a lantern on a jetty' }))).toMatch(
			/720p · 5s · 16:9 · audio off/,
		);
	});
});
