import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/ops/logger.js';
import { startHarness } from '../standins/harness.js';
import { runVideo, waitForPostedVideo } from '../standins/journeys.js';
import { LogCapture } from '../standins/log-capture.js';

describe('log output never carries a secret', () => {
	it('a real job whose interaction token expired logs no API key, bot token or interaction token', async () => {
		const harness = await startHarness();
		try {
			const handle = runVideo(harness, 'text', { prompt: 'a paper boat on a puddle', duration: 2 });
			await harness.discord.waitFor(() => handle.callbacks().length > 0);
			harness.discord.expireToken(handle.token);
			await waitForPostedVideo(harness);
			await harness.bot.stop();

			const output = harness.logs.text;
			expect(harness.logs.lines.length).toBeGreaterThan(3);
			expect(output).not.toContain(handle.token);
			expect(output).not.toContain(harness.discord.botToken);
			expect(output).not.toContain('mv-secret-key-4f9d2c7a1b');
		} finally {
			await harness.close();
		}
	});

	const apiKey = 'mv-live-key-71c3e09d';
	const botToken = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.bot-token-secret-part';
	const interactionToken = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmFiY2RlZg';

	function logEverySecret(pretty: boolean): string {
		const capture = new LogCapture();
		const logger = createLogger({ level: 'info', secrets: [apiKey, botToken], destination: capture, pretty });
		logger.error(
			{
				err: new Error(`PATCH /webhooks/1234567890/${interactionToken}/messages/@original failed (key ${apiKey})`),
				token: botToken,
				request: { authorization: `Bearer ${apiKey}` },
				url: `https://example.test/?token=${botToken}`,
			},
			'progress edit failed',
		);
		return capture.text;
	}

	it.each([
		['JSON', false],
		['pretty', true],
	])('masks them in %s lines, in fields, error messages and URLs alike', (_form, pretty) => {
		const output = logEverySecret(pretty);

		expect(output).toContain('[redacted]');
		expect(output).toContain('/webhooks/1234567890/[token]');
		for (const secret of [apiKey, botToken, interactionToken]) expect(output).not.toContain(secret);
		if (pretty) expect(() => JSON.parse(output)).toThrow();
		else expect(JSON.parse(output)).toMatchObject({ level: 50, token: '[redacted]' });
	});
});
