import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PreparedImage, VideoSettings } from '../src/domain/video.js';
import { ModelverseClient, type ModelverseClientOptions } from '../src/modelverse/client.js';
import { ModelverseError } from '../src/modelverse/errors.js';
import { buildSubmitBody, SUCCESS_WITHOUT_URLS_MESSAGE, type SubmitBody } from '../src/modelverse/wire.js';
import {
	type ModelverseStandIn,
	type StandInOptions,
	startModelverseStandIn,
} from '../standins/modelverse/modelverse-standin.js';

const KEY = 'mv-secret-key-7f3a9c';
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const standIns: ModelverseStandIn[] = [];
afterEach(async () => {
	await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});

async function standInWith(options: StandInOptions = {}): Promise<ModelverseStandIn> {
	const standIn = await startModelverseStandIn({ apiKey: KEY, ...options });
	standIns.push(standIn);
	return standIn;
}

function clientFor(standIn: ModelverseStandIn, options: Partial<ModelverseClientOptions> = {}): ModelverseClient {
	return new ModelverseClient({
		baseUrl: standIn.baseUrl,
		apiKey: KEY,
		authScheme: 'raw',
		submitTimeoutMs: 2_000,
		statusTimeoutMs: 2_000,
		...options,
	});
}

async function failureOf(promise: Promise<unknown>): Promise<ModelverseError> {
	const error = await promise.then(
		() => undefined,
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(ModelverseError);
	return error as ModelverseError;
}

function image(name: string): PreparedImage {
	const data = Buffer.from(PNG_BASE64, 'base64');
	return { sourceUrl: `https://cdn.example.com/${name}.png`, contentType: 'image/png', data, bytes: data.length };
}

const settings: VideoSettings = { resolution: '540p', aspectRatio: '9:16', duration: 8, audio: true, seed: 42 };
const textBody = buildSubmitBody('a fox in the snow', settings, { mode: 'text' }, 'base64');

describe('submitting a task', () => {
	it.each([
		{
			mode: 'text',
			body: textBody,
			expected: {
				model: 'pixverse-v6',
				input: { prompt: 'a fox in the snow' },
				parameters: { resolution: '540p', aspect_ratio: '9:16', duration: 8, generate_audio: 1, seed: 42 },
			},
		},
		{
			mode: 'image',
			body: buildSubmitBody(
				'it starts to snow',
				{ ...settings, audio: false, seed: 0 },
				{ mode: 'image', image: image('fox') },
				'base64',
			),
			expected: {
				model: 'pixverse-v6',
				input: { prompt: 'it starts to snow', img_url: `data:image/png;base64,${PNG_BASE64}` },
				parameters: { resolution: '540p', duration: 8, generate_audio: 0, seed: 0 },
			},
		},
		{
			mode: 'frames',
			body: buildSubmitBody(
				'day turns to night',
				settings,
				{ mode: 'frames', first: image('day'), last: image('night') },
				'base64',
			),
			expected: {
				model: 'pixverse-v6',
				input: {
					prompt: 'day turns to night',
					first_frame_url: `data:image/png;base64,${PNG_BASE64}`,
					last_frame_url: `data:image/png;base64,${PNG_BASE64}`,
				},
				parameters: { resolution: '540p', duration: 8, generate_audio: 1, seed: 42 },
			},
		},
		{
			mode: 'extend',
			body: buildSubmitBody(
				'the fox runs on',
				settings,
				{ mode: 'extend', videoUrl: 'https://cdn.example.com/fox.mp4' },
				'base64',
			),
			expected: {
				model: 'pixverse-v6',
				input: { prompt: 'the fox runs on', video_url: 'https://cdn.example.com/fox.mp4' },
				parameters: { resolution: '540p', duration: 8, generate_audio: 1, seed: 42 },
			},
		},
	])('a $mode job reaches the provider with exactly the fields of its mode', async ({ body, expected }) => {
		const standIn = await standInWith();
		const submitted = await clientFor(standIn).submit(body);

		expect(standIn.rejected).toEqual([]);
		expect(standIn.submissions).toHaveLength(1);
		expect(standIn.submissions[0]?.body).toStrictEqual(expected);
		expect(submitted).toEqual({ taskId: standIn.submissions[0]?.taskId, requestId: standIn.submissions[0]?.requestId });
	});

	it('sends the key raw or as a bearer token, as the operator chose', async () => {
		const raw = await standInWith({ authScheme: 'raw' });
		const bearer = await standInWith({ authScheme: 'bearer' });

		await clientFor(raw, { authScheme: 'raw' }).submit(textBody);
		await clientFor(bearer, { authScheme: 'bearer' }).submit(textBody);

		expect(raw.submissions[0]?.headers.authorization).toBe(KEY);
		expect(bearer.submissions[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
	});

	it.each([
		{ case: 'a bearer token where the raw key is expected', standIn: 'raw', client: 'bearer', key: KEY },
		{ case: 'the raw key where a bearer token is expected', standIn: 'bearer', client: 'raw', key: KEY },
		{ case: 'a wrong key', standIn: 'raw', client: 'raw', key: 'mv-other-key' },
	] as const)('$case is refused as an auth error, and nothing is created', async (setup) => {
		const standIn = await standInWith({ authScheme: setup.standIn });
		const error = await failureOf(clientFor(standIn, { authScheme: setup.client, apiKey: setup.key }).submit(textBody));

		expect(error).toMatchObject({ kind: 'auth', status: 401, nothingCreated: true, retryable: false });
		expect(standIn.submissions).toHaveLength(0);
	});

	it('a 400 carries the provider message, code, param and request id, and is not worth retrying', async () => {
		const standIn = await standInWith();
		const tooLong = { ...textBody, input: { prompt: 'x'.repeat(2049) } } satisfies SubmitBody;
		const error = await failureOf(clientFor(standIn).submit(tooLong));

		expect(error).toMatchObject({
			kind: 'bad_request',
			status: 400,
			code: 'invalid_parameter',
			type: 'invalid_request_error',
			param: 'input.prompt',
			providerMessage: 'input.prompt must be at most 2048 characters',
			method: 'POST',
			url: `${standIn.baseUrl}/v1/tasks/submit`,
			nothingCreated: true,
			retryable: false,
		});
		expect(error.requestId).toEqual(expect.any(String));
		expect(error.message).toContain('input.prompt must be at most 2048 characters');
	});

	it('a 403 (spend limit or IP) is a forbidden error that creates nothing', async () => {
		const standIn = await standInWith();
		standIn.injectFault('submit', {
			status: 403,
			body: { error: { message: 'Spend limit reached', type: 'permission_error', param: null, code: 'quota' } },
		});
		const error = await failureOf(clientFor(standIn).submit(textBody));

		expect(error).toMatchObject({
			kind: 'forbidden',
			status: 403,
			code: 'quota',
			providerMessage: 'Spend limit reached',
			nothingCreated: true,
			retryable: false,
		});
	});

	it('a 429 proves nothing was created, says when to come back, and is not repeated', async () => {
		const standIn = await standInWith();
		standIn.injectFault('submit', { status: 429, retryAfterSeconds: 7 });
		const error = await failureOf(clientFor(standIn).submit(textBody));

		expect(error).toMatchObject({ kind: 'rate_limited', status: 429, nothingCreated: true, retryable: true });
		expect(error.retryAfterMs).toBe(7_000);
		expect(standIn.rejected).toHaveLength(1);
		expect(standIn.submissions).toHaveLength(0);
	});

	it('a 500 may hide a created task, so it is reported as such and never repeated', async () => {
		const standIn = await standInWith();
		standIn.injectFault('submit', { status: 500 }, 3);
		const error = await failureOf(clientFor(standIn).submit(textBody));

		expect(error).toMatchObject({ kind: 'server', status: 500, nothingCreated: false, retryable: true });
		expect(standIn.rejected).toHaveLength(1);
	});

	it('a slow answer times out without a retry, although the provider did create the task', async () => {
		const standIn = await standInWith();
		standIn.injectFault('submit', { delayMs: 400 });
		const error = await failureOf(clientFor(standIn, { submitTimeoutMs: 100 }).submit(textBody));

		expect(error).toMatchObject({ kind: 'timeout', nothingCreated: false, retryable: true });
		await vi.waitFor(() => expect(standIn.submissions).toHaveLength(1));
		expect(standIn.rejected).toHaveLength(0);
	});

	it('a dropped connection after sending may hide a created task', async () => {
		const standIn = await standInWith();
		standIn.injectFault('submit', { destroy: true });
		const error = await failureOf(clientFor(standIn).submit(textBody));

		expect(error).toMatchObject({ kind: 'network', nothingCreated: false, retryable: true });
	});

	it('a refused connection proves nothing was created', async () => {
		const standIn = await standInWith();
		const client = clientFor(standIn);
		await standIn.close();
		const error = await failureOf(client.submit(textBody));

		expect(error).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', nothingCreated: true, retryable: true });
	});

	it('a success answer that is not JSON is invalid, and a task may exist', async () => {
		const standIn = await standInWith();
		standIn.injectFault('submit', { nonJson: true });
		const error = await failureOf(clientFor(standIn).submit(textBody));

		expect(error).toMatchObject({ kind: 'invalid_response', status: 200, nothingCreated: false });
	});
});

describe('checking the key at start-up', () => {
	it.each(['raw', 'bearer'] as const)('passes with the right key sent %s', async (authScheme) => {
		const standIn = await standInWith({ authScheme });
		await expect(clientFor(standIn, { authScheme }).checkKey()).resolves.toBeUndefined();
		expect(standIn.statusQueries.map((query) => query.status)).toEqual([404]);
	});

	it.each([
		{ case: 'a wrong key', authScheme: 'raw', apiKey: 'mv-wrong' },
		{ case: 'the right key in the wrong form', authScheme: 'bearer', apiKey: KEY },
	] as const)('fails with an auth error for $case', async ({ authScheme, apiKey }) => {
		const standIn = await standInWith({ authScheme: 'raw' });
		const error = await failureOf(clientFor(standIn, { authScheme, apiKey }).checkKey());

		expect(error).toMatchObject({ kind: 'auth', status: 401 });
		expect(error.message).toMatch(/Bearer/);
	});

	it('fails with a forbidden error when the key is past its spending limit or used from a refused address (403)', async () => {
		const standIn = await standInWith();
		standIn.injectFault('status', { status: 403 });
		const error = await failureOf(clientFor(standIn).checkKey());

		expect(error).toMatchObject({ kind: 'forbidden', status: 403 });
		expect(error.message).toMatch(/^Modelverse refused the API key \(403\)/);
	});

	it('rethrows a provider that keeps failing, since that proves nothing about the key', async () => {
		const standIn = await standInWith();
		standIn.injectFault('status', { status: 503 }, 10);
		const error = await failureOf(clientFor(standIn).checkKey());

		expect(error).toMatchObject({ kind: 'server', status: 503 });
	});
});

describe('querying a task', () => {
	it('follows a task from pending to success, with its times and usage', async () => {
		const standIn = await standInWith({ plan: () => ({ queueMs: 60, renderMs: 60, outcome: 'Success' }) });
		const client = clientFor(standIn);
		const { taskId } = await client.submit(textBody);

		const first = await client.status(taskId);
		expect(first).toMatchObject({ taskId, state: 'pending', rawStatus: 'Pending', urls: [] });
		await vi.waitFor(async () => expect((await client.status(taskId)).state).toBe('success'));

		const done = await client.status(taskId);
		expect(done).toEqual({
			taskId,
			state: 'success',
			rawStatus: 'Success',
			urls: [standIn.videoUrl(taskId)],
			submitTime: expect.any(Number),
			finishTime: expect.any(Number),
			usageSeconds: 8,
			requestId: expect.any(String),
		});
		expect(standIn.queriesFor(taskId).map((query) => query.taskStatus)).toContain('Running');
	});

	it('reports a failure with the provider message', async () => {
		const standIn = await standInWith({
			plan: () => ({ queueMs: 0, renderMs: 0, outcome: 'Failure', errorMessage: 'content rejected' }),
		});
		const client = clientFor(standIn);
		const { taskId } = await client.submit(textBody);

		expect(await client.status(taskId)).toMatchObject({
			state: 'failure',
			rawStatus: 'Failure',
			errorMessage: 'content rejected',
		});
	});

	it.each([
		{ served: 'SUCCESS', state: 'success' },
		{ served: 'Processing', state: 'running' },
		{ served: 'queued', state: 'pending' },
	] as const)('reads the status "$served" as $state', async ({ served, state }) => {
		const standIn = await standInWith({
			plan: () => ({
				queueMs: 0,
				renderMs: state === 'success' ? 0 : 60_000,
				outcome: 'Success',
				statusNames: { success: served, running: served },
			}),
		});
		const client = clientFor(standIn);
		const { taskId } = await client.submit(textBody);

		expect(await client.status(taskId)).toMatchObject({ state, rawStatus: served });
	});

	it('treats a success without any video URL as a failure that says so', async () => {
		const standIn = await standInWith();
		standIn.injectFault('status', {
			status: 200,
			body: { output: { task_id: 't-1', task_status: 'Success', urls: [] }, request_id: '' },
		});

		expect(await clientFor(standIn).status('t-1')).toMatchObject({
			state: 'failure',
			rawStatus: 'Success',
			errorMessage: SUCCESS_WITHOUT_URLS_MESSAGE,
		});
	});

	it('leaves a 429 and its Retry-After to the caller, who schedules the next query', async () => {
		const standIn = await standInWith();
		standIn.injectFault('status', { status: 429, retryAfterSeconds: 120 });
		const error = await failureOf(clientFor(standIn).status('t-1'));

		expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 120_000, retryable: true });
		expect(standIn.statusQueries).toHaveLength(1);
	});

	it('reports a 500, a body that is not JSON and a dropped connection as worth retrying; the next query succeeds', async () => {
		const standIn = await standInWith();
		const client = clientFor(standIn);
		const { taskId } = await client.submit(textBody);
		standIn.injectFault('status', { status: 500 });
		standIn.injectFault('status', { nonJson: true });
		standIn.injectFault('status', { destroy: true });

		for (const kind of ['server', 'invalid_response', 'network']) {
			expect(await failureOf(client.status(taskId))).toMatchObject({ kind, retryable: true });
		}
		expect((await client.status(taskId)).taskId).toBe(taskId);
		expect(standIn.queriesFor(taskId).map((query) => query.status)).toEqual([500, 200, 0, 200]);
	});

	it('reports a query that got no answer in time as a timeout worth retrying', async () => {
		const standIn = await standInWith();
		const client = clientFor(standIn, { statusTimeoutMs: 100 });
		const { taskId } = await client.submit(textBody);
		standIn.injectFault('status', { delayMs: 5_000 });

		expect(await failureOf(client.status(taskId))).toMatchObject({ kind: 'timeout', retryable: true });
	});

	it('asks once and fails with that error, which says nothing was created', async () => {
		const standIn = await standInWith();
		standIn.injectFault('status', { nonJson: true }, 10);
		const error = await failureOf(clientFor(standIn).status('t-1'));

		expect(error).toMatchObject({ kind: 'invalid_response', retryable: true, nothingCreated: true });
		expect(standIn.statusQueries).toHaveLength(1);
	});

	it('does not retry JSON of the wrong shape, nor an unknown task', async () => {
		const standIn = await standInWith();
		standIn.injectFault('status', { status: 200, body: { output: { state: 'done' } } });
		const client = clientFor(standIn);

		expect(await failureOf(client.status('t-1'))).toMatchObject({ kind: 'invalid_response', retryable: false });
		expect(await failureOf(client.status('t-1'))).toMatchObject({ kind: 'bad_request', status: 404 });
		expect(standIn.statusQueries).toHaveLength(2);
	});

	it('encodes the task id into the query string', async () => {
		const standIn = await standInWith();
		await failureOf(clientFor(standIn).status('a b/c?d=1&e'));

		expect(standIn.statusQueries[0]?.taskId).toBe('a b/c?d=1&e');
	});

	it('stops waiting for an answer when the caller aborts', async () => {
		const standIn = await standInWith();
		standIn.injectFault('status', { delayMs: 5_000 });
		const controller = new AbortController();
		// The query is in flight (the provider has it) when the caller gives up; its own 2 s timeout would say `timeout`.
		const pending = clientFor(standIn).status('t-1', { signal: controller.signal });
		await vi.waitFor(() => expect(standIn.received).toMatchObject([{ route: 'status' }]));
		controller.abort();

		await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
	});
});

describe('the API key never leaks', () => {
	it('appears in no message, stack, property or cause of any error', async () => {
		const standIn = await standInWith();
		const client = clientFor(standIn, { submitTimeoutMs: 100 });
		standIn.injectFault('submit', {
			status: 401,
			body: { error: { message: `Invalid key ${KEY}`, type: KEY, param: KEY, code: KEY } },
		});
		standIn.injectFault('submit', { delayMs: 300 });
		standIn.injectFault('submit', { destroy: true });
		standIn.injectFault('status', { status: 200, body: { output: { task_id: KEY } } });
		const errors = [
			await failureOf(client.submit(textBody)),
			await failureOf(client.submit(textBody)),
			await failureOf(client.submit(textBody)),
			await failureOf(client.status('t-1')),
			await failureOf(clientFor(standIn, { apiKey: `${KEY}-wrong`, authScheme: 'bearer' }).checkKey()),
			await failureOf(clientFor(standIn).submit({ ...textBody, input: { prompt: '' } })),
		];
		await standIn.close();
		errors.push(await failureOf(client.submit(textBody)));

		expect(errors[0]?.providerMessage).toBe('Invalid key [redacted]');
		for (const error of errors) {
			for (const text of [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10 })]) {
				expect(text).not.toContain(KEY);
			}
		}
	});
});
