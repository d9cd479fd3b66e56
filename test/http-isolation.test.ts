import 'undici';
import { afterEach, expect, it } from 'vitest';
import { type Harness, startHarness } from '../standins/harness.js';
import { runVideo, waitForPostedVideo } from '../standins/journeys.js';

let harness: Harness;
afterEach(async () => harness.close());

it('uploads to Discord work whichever undici loads first (discord.js bundles another major)', async () => {
	harness = await startHarness();
	runVideo(harness, 'text', { prompt: 'order of imports' });
	const posted = await waitForPostedVideo(harness);
	expect(posted.attachments).toHaveLength(1);
});
