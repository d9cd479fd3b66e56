import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionHandle, RecordedRequest } from '../standins/discord/index.js';
import { type Harness, MODELVERSE_TEST_KEY, startHarness } from '../standins/harness.js';
import { attachment, jobEnded, runVideo, visibleText, waitForPostedVideo } from '../standins/journeys.js';
import { PNG } from '../standins/media-fixtures.js';
import { DEFAULT_TASK_PLAN } from '../standins/modelverse/modelverse-standin.js';

/** Everything a request to Discord carried, as text: path, query, headers, JSON body and uploaded files. */
function everythingSent(request: RecordedRequest): string {
	return [
		request.path,
		JSON.stringify(request.query),
		JSON.stringify(request.headers),
		JSON.stringify(request.body),
		...request.files.flatMap((file) => [file.name, file.filename, file.contentType, file.bytes.toString('latin1')]),
	].join('\n');
}

describe('the operator’s secrets stay secret', () => {
	let harness: Harness;
	const handles: InteractionHandle[] = [];

	beforeEach(async () => {
		handles.length = 0;
		harness = await startHarness({
			modelverse: {
				// The provider echoing the key back, as a misconfigured gateway might, is the worst case.
				plan: (body) =>
					body.input.prompt.includes('fail')
						? {
								...DEFAULT_TASK_PLAN,
								outcome: 'Failure',
								errorMessage: `Task rejected for key ${MODELVERSE_TEST_KEY}: content policy`,
							}
						: DEFAULT_TASK_PLAN,
			},
		});
	});

	afterEach(async () => {
		await harness.closeChecked();
	});

	async function playAFullJob(): Promise<void> {
		const handle = runVideo(harness, 'image', { image: attachment('cat.png', PNG), prompt: 'the cat yawns' });
		handles.push(handle);
		await waitForPostedVideo(harness);
		await jobEnded(harness, handle);
	}

	async function playASubmitTheProviderRefuses(): Promise<void> {
		harness.modelverse.injectFault('submit', {
			status: 400,
			body: {
				error: {
					message: `Key ${MODELVERSE_TEST_KEY} may not use this model`,
					type: 'invalid_request_error',
					param: null,
					code: 'model_not_allowed',
				},
			},
		});
		const handle = runVideo(harness, 'text', { prompt: 'a refused lighthouse' });
		handles.push(handle);
		expect(await jobEnded(harness, handle)).toContain('The video service refused this job:');
	}

	async function playAnInteractionWhoseTokenDiedAtOnce(): Promise<void> {
		const handle = runVideo(harness, 'text', { prompt: 'too late' });
		handles.push(handle);
		harness.discord.expireToken(handle.token);
		await harness.discord.waitFor(() =>
			harness.logs.lines.find((line) => line.includes(handle.id) && line.includes('interaction handler failed')),
		);
	}

	it('after a full job and failing ones, the Modelverse key is in no request to Discord and no log line', async () => {
		await playAFullJob();
		await playASubmitTheProviderRefuses();
		await playAnInteractionWhoseTokenDiedAtOnce();

		expect(harness.modelverse.submissions[0]?.headers.authorization).toBe(MODELVERSE_TEST_KEY);
		expect(harness.discord.requests.length).toBeGreaterThan(10);
		for (const request of harness.discord.requests) {
			expect(everythingSent(request), `${request.method} ${request.path}`).not.toContain(MODELVERSE_TEST_KEY);
		}
		expect(harness.logs.text).toContain('[redacted]');
		expect(harness.logs.text).not.toContain(MODELVERSE_TEST_KEY);
	});

	it('the Discord bot token and the interaction tokens are in no log line', async () => {
		await playAFullJob();
		await playASubmitTheProviderRefuses();
		await playAnInteractionWhoseTokenDiedAtOnce();

		const sentWithBotToken = harness.discord.requests.filter(
			(request) => request.headers.authorization === `Bot ${harness.discord.botToken}`,
		);
		expect(sentWithBotToken.length).toBeGreaterThan(0);
		expect(harness.logs.lines.length).toBeGreaterThan(5);
		expect(harness.logs.text).not.toContain(harness.discord.botToken);
		for (const handle of handles) expect(harness.logs.text).not.toContain(handle.token);
	});

	it('a provider failure message that echoes the key is shown to the member without it', async () => {
		const handle = runVideo(harness, 'text', { prompt: 'this one will fail' });
		const shown = await jobEnded(harness, handle);

		expect(shown).toContain('The video could not be made: Task rejected for key');
		expect(visibleText(handle.original())).not.toContain(MODELVERSE_TEST_KEY);
		for (const request of harness.discord.requests) {
			expect(everythingSent(request), `${request.method} ${request.path}`).not.toContain(MODELVERSE_TEST_KEY);
		}
	});
});
