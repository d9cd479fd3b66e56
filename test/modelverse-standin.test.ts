import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ModelverseStandIn, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';

const KEY = 'stand-in-key';
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const IMAGE_URL = 'https://cdn.example.com/fox.png';
const VIDEO_URL = 'https://cdn.example.com/fox.mp4';

let standIn: ModelverseStandIn;
beforeEach(async () => {
	standIn = await startModelverseStandIn({ apiKey: KEY });
});
afterEach(async () => {
	await standIn.close();
});

interface Answer {
	status: number;
	json: unknown;
}

async function submitRaw(body: string, headers: Record<string, string> = {}): Promise<Answer> {
	const response = await request(`${standIn.baseUrl}/v1/tasks/submit`, {
		method: 'POST',
		headers: { authorization: KEY, 'content-type': 'application/json', ...headers },
		body,
	});
	return { status: response.statusCode, json: await response.body.json() };
}

function submit(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
	return submitRaw(JSON.stringify(body), headers);
}

async function queryStatus(taskId: string | undefined, authorization = KEY): Promise<Answer> {
	const query = taskId === undefined ? '' : `?task_id=${encodeURIComponent(taskId)}`;
	const response = await request(`${standIn.baseUrl}/v1/tasks/status${query}`, { headers: { authorization } });
	return { status: response.statusCode, json: await response.body.json() };
}

function providerError(param: string | null, status = 400) {
	return {
		status,
		json: {
			error: { message: expect.any(String), type: expect.any(String), param, code: expect.any(String) },
		},
	};
}

const text = { model: 'pixverse-v6', input: { prompt: 'a fox' } };
const withInput = (input: object) => ({ model: 'pixverse-v6', input: { prompt: 'a fox', ...input } });
const withParameters = (parameters: object) => ({ ...text, parameters });

describe('accepts every body the page allows', () => {
	it.each([
		{ case: 'text only, no parameters', body: text },
		{
			case: 'text with every parameter at its limits',
			body: withParameters({
				resolution: '1080p',
				aspect_ratio: '21:9',
				duration: 15,
				generate_audio: 1,
				seed: 2_147_483_647,
			}),
		},
		{ case: 'a prompt of exactly 2048 characters', body: { ...text, input: { prompt: 'x'.repeat(2048) } } },
		{ case: 'an image by URL', body: withInput({ img_url: IMAGE_URL }) },
		{ case: 'an image as raw Base64', body: withInput({ img_url: PNG_BASE64 }) },
		{ case: 'an image as a data URI', body: withInput({ img_url: `data:image/webp;base64,${PNG_BASE64}` }) },
		{ case: 'first and last frames', body: withInput({ first_frame_url: IMAGE_URL, last_frame_url: PNG_BASE64 }) },
		{ case: 'a video to extend', body: withInput({ video_url: VIDEO_URL }) },
		{ case: 'duration 1, seed 0, no audio', body: withParameters({ duration: 1, seed: 0, generate_audio: 0 }) },
	])('$case', async ({ body }) => {
		const answer = await submit(body);

		expect(answer).toEqual({
			status: 200,
			json: { output: { task_id: expect.any(String) }, request_id: expect.any(String) },
		});
		expect(standIn.submissions.map((submission) => submission.body)).toEqual([body]);
	});

	it('accepts the bearer form when set to it, and a charset on the content type', async () => {
		const bearer = await startModelverseStandIn({ apiKey: KEY, authScheme: 'bearer' });
		const response = await request(`${bearer.baseUrl}/v1/tasks/submit`, {
			method: 'POST',
			headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify(text),
		});
		await bearer.close();

		expect(response.statusCode).toBe(200);
	});
});

describe('refuses what the page does not allow, in the provider error shape', () => {
	it.each([
		{ case: 'no Authorization', headers: { authorization: '' } },
		{ case: 'a wrong key', headers: { authorization: 'other-key' } },
		{ case: 'the bearer form when the raw key is expected', headers: { authorization: `Bearer ${KEY}` } },
	])('401 for $case', async ({ headers }) => {
		expect(await submit(text, headers)).toEqual(providerError(null, 401));
		expect(standIn.rejected).toHaveLength(1);
	});

	it('401 for the raw key when the bearer form is expected', async () => {
		await standIn.close();
		standIn = await startModelverseStandIn({ apiKey: KEY, authScheme: 'bearer' });

		expect(await submit(text)).toEqual(providerError(null, 401));
	});

	it.each([
		{ case: 'no JSON content type', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(text) },
		{ case: 'a body that is not JSON', headers: {}, body: '{"model": "pixverse-v6",' },
		{ case: 'a JSON array', headers: {}, body: '[]' },
	])('400 for $case', async ({ headers, body }) => {
		expect(await submitRaw(body, headers)).toEqual(providerError(null));
	});

	it.each([
		{ case: 'no model', body: { input: { prompt: 'a fox' } }, param: 'model' },
		{ case: 'another model', body: { ...text, model: 'pixverse-v5' }, param: 'model' },
		{ case: 'no input', body: { model: 'pixverse-v6' }, param: 'input' },
		{ case: 'no prompt', body: { model: 'pixverse-v6', input: { img_url: IMAGE_URL } }, param: 'input.prompt' },
		{ case: 'an empty prompt', body: { ...text, input: { prompt: '' } }, param: 'input.prompt' },
		{ case: 'a prompt that is not a string', body: { ...text, input: { prompt: 42 } }, param: 'input.prompt' },
		{
			case: 'a prompt of 2049 characters',
			body: { ...text, input: { prompt: 'x'.repeat(2049) } },
			param: 'input.prompt',
		},
		{ case: 'a first frame alone', body: withInput({ first_frame_url: IMAGE_URL }), param: 'input.last_frame_url' },
		{ case: 'a last frame alone', body: withInput({ last_frame_url: IMAGE_URL }), param: 'input.first_frame_url' },
		{ case: 'an image and a video', body: withInput({ img_url: IMAGE_URL, video_url: VIDEO_URL }), param: 'input' },
		{
			case: 'an image and both frames',
			body: withInput({ img_url: IMAGE_URL, first_frame_url: IMAGE_URL, last_frame_url: IMAGE_URL }),
			param: 'input',
		},
		{ case: 'a video as Base64', body: withInput({ video_url: PNG_BASE64 }), param: 'input.video_url' },
		{
			case: 'a video as a data URI',
			body: withInput({ video_url: `data:video/mp4;base64,${PNG_BASE64}` }),
			param: 'input.video_url',
		},
		{
			case: 'a video by FTP',
			body: withInput({ video_url: 'ftp://cdn.example.com/fox.mp4' }),
			param: 'input.video_url',
		},
		{
			case: 'a GIF data URI',
			body: withInput({ img_url: `data:image/gif;base64,${PNG_BASE64}` }),
			param: 'input.img_url',
		},
		{
			case: 'an image that is neither URL nor Base64',
			body: withInput({ img_url: 'fox.png' }),
			param: 'input.img_url',
		},
		{
			case: 'a data URI with broken Base64',
			body: withInput({ first_frame_url: 'data:image/png;base64,!!!!', last_frame_url: IMAGE_URL }),
			param: 'input.first_frame_url',
		},
		{ case: 'an image that is not a string', body: withInput({ img_url: 1 }), param: 'input.img_url' },
		{ case: 'a resolution of 4k', body: withParameters({ resolution: '4k' }), param: 'parameters.resolution' },
		{ case: 'an aspect ratio of 5:4', body: withParameters({ aspect_ratio: '5:4' }), param: 'parameters.aspect_ratio' },
		{ case: 'a duration of 0', body: withParameters({ duration: 0 }), param: 'parameters.duration' },
		{ case: 'a duration of 16', body: withParameters({ duration: 16 }), param: 'parameters.duration' },
		{ case: 'a duration of 5.5', body: withParameters({ duration: 5.5 }), param: 'parameters.duration' },
		{ case: 'a duration as a string', body: withParameters({ duration: '5' }), param: 'parameters.duration' },
		{ case: 'audio as a boolean', body: withParameters({ generate_audio: true }), param: 'parameters.generate_audio' },
		{ case: 'audio of 2', body: withParameters({ generate_audio: 2 }), param: 'parameters.generate_audio' },
		{ case: 'a negative seed', body: withParameters({ seed: -1 }), param: 'parameters.seed' },
		{ case: 'a seed over 2^31-1', body: withParameters({ seed: 2_147_483_648 }), param: 'parameters.seed' },
		{ case: 'a fractional seed', body: withParameters({ seed: 1.5 }), param: 'parameters.seed' },
		{ case: 'parameters that are not an object', body: { ...text, parameters: 'fast' }, param: 'parameters' },
		{ case: 'an unknown top-level field', body: { ...text, callback_url: IMAGE_URL }, param: 'callback_url' },
		{ case: 'an unknown input field', body: withInput({ image_url: IMAGE_URL }), param: 'input.image_url' },
		{ case: 'an unknown parameter', body: withParameters({ generateAudio: 1 }), param: 'parameters.generateAudio' },
	])('400 for $case', async ({ body, param }) => {
		expect(await submit(body)).toEqual(providerError(param));
		expect(standIn.submissions).toHaveLength(0);
		expect(standIn.rejected).toEqual([{ body, status: 400, error: providerError(param).json }]);
	});
});

describe('answers status queries as the page shows', () => {
	it('refuses a missing task id, an unknown task and a wrong key', async () => {
		expect(await queryStatus(undefined)).toEqual(providerError('task_id'));
		expect(await queryStatus('no-such-task')).toEqual(providerError('task_id', 404));
		expect(await queryStatus('no-such-task', 'wrong')).toEqual(providerError(null, 401));
	});

	it('moves a task from Pending to Running to Success, with a video to download', async () => {
		standIn.setPlanner(() => ({ queueMs: 60, renderMs: 60, outcome: 'Success', videoBytes: 4096 }));
		const { json } = await submit(withParameters({ duration: 6 }));
		const taskId = (json as { output: { task_id: string } }).output.task_id;

		expect(await queryStatus(taskId)).toEqual({
			status: 200,
			json: {
				output: { task_id: taskId, task_status: 'Pending', submit_time: expect.any(Number) },
				request_id: expect.any(String),
			},
		});
		await vi.waitFor(async () => expect(standIn.task(taskId)?.state).toBe('Success'));
		expect(await queryStatus(taskId)).toEqual({
			status: 200,
			json: {
				output: {
					task_id: taskId,
					task_status: 'Success',
					urls: [standIn.videoUrl(taskId)],
					submit_time: expect.any(Number),
					finish_time: expect.any(Number),
				},
				usage: { duration: 6 },
				request_id: expect.any(String),
			},
		});
		expect(standIn.task(taskId)?.becameTerminalAt).toEqual(expect.any(Number));

		const video = await request(standIn.videoUrl(taskId));
		const bytes = Buffer.from(await video.body.arrayBuffer());
		expect(video.headers['content-type']).toBe('video/mp4');
		expect(video.headers['content-length']).toBe('4096');
		expect(bytes).toHaveLength(4096);
		expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
	});

	it('ends a failing task with its error message', async () => {
		standIn.setPlanner(() => ({ queueMs: 0, renderMs: 0, outcome: 'Failure', errorMessage: 'content rejected' }));
		const { json } = await submit(text);
		const taskId = (json as { output: { task_id: string } }).output.task_id;

		expect((await queryStatus(taskId)).json).toEqual({
			output: {
				task_id: taskId,
				task_status: 'Failure',
				submit_time: expect.any(Number),
				finish_time: expect.any(Number),
				error_message: 'content rejected',
			},
			usage: { duration: 5 },
			request_id: expect.any(String),
		});
	});

	it('keeps a held task running until it is completed by hand', async () => {
		await standIn.close();
		standIn = await startModelverseStandIn({
			apiKey: KEY,
			hold: true,
			plan: () => ({ queueMs: 0, renderMs: 0, outcome: 'Success' }),
		});
		const { json } = await submit(text);
		const taskId = (json as { output: { task_id: string } }).output.task_id;

		expect(standIn.task(taskId)).toMatchObject({ state: 'Running' });
		expect(standIn.task(taskId)?.becameTerminalAt).toBeUndefined();
		standIn.complete(taskId, 'Failure', 'cancelled by operator');

		expect(standIn.task(taskId)).toMatchObject({ state: 'Failure', errorMessage: 'cancelled by operator' });
		expect(() => standIn.complete(taskId, 'Success')).toThrow(/already finished/);
		expect(standIn.queriesFor(taskId)).toEqual([]);
	});

	it('serves other status names when the plan asks for them', async () => {
		standIn.setPlanner(() => ({
			queueMs: 0,
			renderMs: 60_000,
			outcome: 'Success',
			statusNames: { running: 'Processing' },
		}));
		const { json } = await submit(text);
		const taskId = (json as { output: { task_id: string } }).output.task_id;

		expect(await queryStatus(taskId)).toMatchObject({ json: { output: { task_status: 'Processing' } } });
		expect(standIn.queriesFor(taskId)).toEqual([
			{ taskId, at: expect.any(Number), status: 200, taskStatus: 'Processing' },
		]);
	});
});

describe('faults', () => {
	it('apply to the next N requests of their route only', async () => {
		standIn.injectFault('status', { status: 503, retryAfterSeconds: 2 }, 2);

		const first = await request(`${standIn.baseUrl}/v1/tasks/status?task_id=x`, { headers: { authorization: KEY } });
		expect(first.statusCode).toBe(503);
		expect(first.headers['retry-after']).toBe('2');
		expect(await first.body.json()).toEqual(providerError(null, 503).json);
		expect((await queryStatus('x')).status).toBe(503);
		expect((await queryStatus('x')).status).toBe(404);
		expect((await submit(text)).status).toBe(200);
	});

	it('can answer with a text body, a body that is not JSON, or no answer at all', async () => {
		standIn.injectFault('submit', { status: 502, body: 'Bad Gateway' });
		standIn.injectFault('submit', { nonJson: true });
		standIn.injectFault('submit', { destroy: true });

		const plain = await request(`${standIn.baseUrl}/v1/tasks/submit`, { method: 'POST', body: '{}' });
		expect([plain.statusCode, await plain.body.text()]).toEqual([502, 'Bad Gateway']);
		const html = await request(`${standIn.baseUrl}/v1/tasks/submit`, { method: 'POST', body: '{}' });
		expect([html.statusCode, html.headers['content-type']]).toEqual([200, 'text/html']);
		await html.body.dump();
		await expect(request(`${standIn.baseUrl}/v1/tasks/submit`, { method: 'POST', body: '{}' })).rejects.toThrow();
		expect(standIn.rejected.map((rejection) => rejection.status)).toEqual([502, 200, 0]);
		expect(standIn.submissions).toHaveLength(0);
	});

	it('can break a download', async () => {
		standIn.setPlanner(() => ({ queueMs: 0, renderMs: 0, outcome: 'Success' }));
		const { json } = await submit(text);
		const taskId = (json as { output: { task_id: string } }).output.task_id;
		standIn.injectFault('download', { status: 500 });

		const broken = await request(standIn.videoUrl(taskId));
		await broken.body.dump();
		const whole = await request(standIn.videoUrl(taskId));
		const bytes = await whole.body.arrayBuffer();

		expect([broken.statusCode, whole.statusCode, bytes.byteLength]).toEqual([500, 200, 64 * 1024]);
	});
});
