import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// The limits are copied from the provider's page on purpose, not imported from the bot: a wrong constant in the
// bot must fail against this stand-in instead of being mirrored by it.
const MODEL = 'pixverse-v6';
const RESOLUTIONS = ['1080p', '720p', '540p', '360p'];
const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '2:3', '3:2', '21:9'];
const PROMPT_MAX_LENGTH = 2048;
const DURATION_MIN = 1;
const DURATION_MAX = 15;
const SEED_MAX = 2_147_483_647;
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;
const INPUT_FIELDS = ['prompt', 'img_url', 'first_frame_url', 'last_frame_url', 'video_url'];
const PARAMETER_FIELDS = ['resolution', 'aspect_ratio', 'duration', 'generate_audio', 'seed'];
const DATA_URI_IMAGE = /^data:image\/(png|jpeg|webp);base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A body as the provider's page allows it, which is wider than what the bot sends (every parameter optional). */
interface AcceptedSubmitBody {
	model: typeof MODEL;
	input: { prompt: string; img_url?: string; first_frame_url?: string; last_frame_url?: string; video_url?: string };
	parameters?: {
		resolution?: string;
		aspect_ratio?: string;
		duration?: number;
		generate_audio?: 0 | 1;
		seed?: number;
	};
}

type StandInTaskStatus = 'Pending' | 'Running' | 'Success' | 'Failure';

export interface TaskPlan {
	queueMs: number;
	renderMs: number;
	outcome: 'Success' | 'Failure' | 'Hang';
	errorMessage?: string;
	videoBytes?: number;
	/** Names served for each state, to play statuses such as `SUCCESS` or `Processing`. */
	statusNames?: { pending?: string; running?: string; success?: string; failure?: string };
}

type TaskPlanner = (body: AcceptedSubmitBody, index: number) => TaskPlan;

type FaultRoute = 'submit' | 'status' | 'download';

type Fault =
	| { status: number; body?: string | object; retryAfterSeconds?: number }
	| { delayMs: number }
	/** Answered as usual once `until` settles: a provider that is slow for exactly as long as a test needs. */
	| { until: Promise<unknown> }
	| { nonJson: true }
	| { destroy: true };

export interface StandInOptions {
	apiKey?: string;
	authScheme?: 'raw' | 'bearer';
	/** 0 (the default) picks a free port. */
	port?: number;
	plan?: TaskPlanner;
	/** Tasks never finish on their own: they run until `complete()`. */
	hold?: boolean;
	onEvent?: (event: StandInEvent) => void;
}

/** One line's worth for an operator: `status` is the HTTP status answered (0 when the connection was dropped). */
export interface StandInEvent {
	route: FaultRoute;
	status: number;
	taskId?: string;
	mode?: string;
	taskStatus?: string;
	detail?: string;
}

interface Submission {
	taskId: string;
	requestId: string;
	body: AcceptedSubmitBody;
	headers: IncomingHttpHeaders;
	at: number;
}

/** `status` 0 means the connection was dropped without an answer. */
interface RejectedSubmission {
	body: unknown;
	status: number;
	error: unknown;
}

interface StatusQuery {
	taskId: string;
	at: number;
	/** The HTTP status answered. */
	status: number;
	/** The `task_status` served, when the query was answered with one. */
	taskStatus?: string;
}

interface StandInTask {
	taskId: string;
	body: AcceptedSubmitBody;
	plan: TaskPlan;
	submittedAt: number;
	state: StandInTaskStatus;
	becameTerminalAt?: number;
	errorMessage?: string;
}

/** A request as it arrived, before it was answered, delayed or dropped. */
interface ReceivedRequest {
	route: FaultRoute;
	at: number;
}

export interface ModelverseStandIn {
	baseUrl: string;
	/** Every request on a known route, in order of arrival: what reached the provider, answered or not. */
	received: ReceivedRequest[];
	submissions: Submission[];
	rejected: RejectedSubmission[];
	statusQueries: StatusQuery[];
	queriesFor(taskId: string): StatusQuery[];
	setPlanner(planner: TaskPlanner): void;
	complete(taskId: string, outcome: 'Success' | 'Failure', errorMessage?: string): void;
	task(taskId: string): StandInTask | undefined;
	/** A task the provider made before this stand-in started (one a stored fixture names); not a submission. */
	restoreTask(taskId: string, body: unknown): void;
	injectFault(route: FaultRoute, fault: Fault, times?: number): void;
	/** The provider recovers: faults still queued on the route (every route when none is named) are dropped. */
	clearFaults(route?: FaultRoute): void;
	videoUrl(taskId: string): string;
	close(): Promise<void>;
}

export const DEFAULT_TASK_PLAN = { queueMs: 50, renderMs: 200, outcome: 'Success' } as const satisfies TaskPlan;
const DEFAULT_VIDEO_BYTES = 64 * 1024;
const DEFAULT_FAILURE_MESSAGE = 'Video generation failed';

interface TaskRecord {
	taskId: string;
	body: AcceptedSubmitBody;
	plan: TaskPlan;
	submittedAt: number;
	completed?: { outcome: 'Success' | 'Failure'; errorMessage?: string; at: number };
}

/** A provider-shaped refusal: `{"error":{"message","type","param","code"}}`. */
class Refusal {
	constructor(
		readonly status: number,
		readonly message: string,
		readonly code: string,
		readonly param: string | null = null,
	) {}

	get body() {
		const type = this.status === 401 ? 'authentication_error' : 'invalid_request_error';
		return { error: { message: this.message, type, param: this.param, code: this.code } };
	}
}

function invalidParameter(param: string | null, message: string): Refusal {
	return new Refusal(400, message, 'invalid_parameter', param);
}

export async function startModelverseStandIn(options: StandInOptions = {}): Promise<ModelverseStandIn> {
	const { apiKey = 'test-key', authScheme = 'raw', port = 0, hold = false, onEvent } = options;
	const expectedAuthorization = authScheme === 'bearer' ? `Bearer ${apiKey}` : apiKey;
	let planner: TaskPlanner = options.plan ?? (() => DEFAULT_TASK_PLAN);
	const tasks = new Map<string, TaskRecord>();
	const faults: Record<FaultRoute, Fault[]> = { submit: [], status: [], download: [] };
	const received: ReceivedRequest[] = [];
	const submissions: Submission[] = [];
	const rejected: RejectedSubmission[] = [];
	const statusQueries: StatusQuery[] = [];
	const closing = new AbortController();
	let baseUrl = '';

	const server = createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			if (closing.signal.aborted) return;
			if (!response.headersSent) sendJson(response, 500, new Refusal(500, String(error), 'internal_error').body);
		});
	});

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://stand-in');
		const route = routeOf(request.method, url.pathname);
		if (!route) {
			sendJson(response, 404, new Refusal(404, `No route for ${request.method} ${url.pathname}`, 'not_found').body);
			return;
		}
		const rawBody = route === 'submit' ? await readBody(request) : undefined;
		received.push({ route, at: Date.now() });
		const fault = faults[route].shift();
		if (fault && 'delayMs' in fault) await sleep(fault.delayMs, undefined, { signal: closing.signal });
		else if (fault && 'until' in fault) await fault.until;
		else if (fault) {
			answerWithFault(route, fault, request, response, url, rawBody);
			return;
		}
		if (route === 'submit') handleSubmit(request, response, rawBody);
		else if (route === 'status') handleStatus(request, response, url);
		else handleDownload(request, response, url);
	}

	function handleSubmit(request: IncomingMessage, response: ServerResponse, rawBody: Buffer | undefined): void {
		const bodyText = rawBody?.toString('utf8') ?? '';
		let body: AcceptedSubmitBody;
		try {
			checkAuthorization(request);
			if (!rawBody) throw new Refusal(413, `The request body is over ${BODY_LIMIT_BYTES} bytes`, 'request_too_large');
			body = validateSubmitBody(parseJsonBody(request, bodyText));
		} catch (error) {
			if (!(error instanceof Refusal)) throw error;
			rejected.push({ body: jsonOrText(bodyText), status: error.status, error: error.body });
			onEvent?.({ route: 'submit', status: error.status, detail: error.message });
			sendJson(response, error.status, error.body);
			return;
		}
		const taskId = randomUUID();
		const requestId = randomUUID();
		const submittedAt = Date.now();
		const plan = planner(body, submissions.length);
		tasks.set(taskId, { taskId, body, plan, submittedAt });
		submissions.push({ taskId, requestId, body, headers: request.headers, at: submittedAt });
		onEvent?.({ route: 'submit', status: 200, taskId, mode: modeOf(body.input) });
		sendJson(response, 200, { output: { task_id: taskId }, request_id: requestId }, requestId);
	}

	function handleStatus(request: IncomingMessage, response: ServerResponse, url: URL): void {
		const taskId = url.searchParams.get('task_id') ?? '';
		const at = Date.now();
		try {
			checkAuthorization(request);
			if (!taskId) throw invalidParameter('task_id', 'task_id is required');
			const record = tasks.get(taskId);
			if (!record) throw new Refusal(404, `Task ${taskId} not found`, 'task_not_found', 'task_id');
			const answer = statusAnswer(record, at);
			statusQueries.push({ taskId, at, status: 200, taskStatus: answer.output.task_status });
			onEvent?.({ route: 'status', status: 200, taskId, taskStatus: answer.output.task_status });
			sendJson(response, 200, answer, answer.request_id);
		} catch (error) {
			if (!(error instanceof Refusal)) throw error;
			statusQueries.push({ taskId, at, status: error.status });
			onEvent?.({ route: 'status', status: error.status, taskId, detail: error.message });
			sendJson(response, error.status, error.body);
		}
	}

	function handleDownload(request: IncomingMessage, response: ServerResponse, url: URL): void {
		const taskId = decodeURIComponent(url.pathname.slice('/files/'.length, -'.mp4'.length));
		const record = tasks.get(taskId);
		if (!record || stateAt(record, Date.now()).state !== 'Success') {
			onEvent?.({ route: 'download', status: 404, taskId });
			sendJson(response, 404, new Refusal(404, 'No such file', 'not_found').body);
			return;
		}
		const video = smallMp4(record.plan.videoBytes ?? DEFAULT_VIDEO_BYTES);
		onEvent?.({ route: 'download', status: 200, taskId });
		response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': video.length });
		response.end(request.method === 'HEAD' ? undefined : video);
	}

	function answerWithFault(
		route: FaultRoute,
		fault: Exclude<Fault, { delayMs: number } | { until: Promise<unknown> }>,
		request: IncomingMessage,
		response: ServerResponse,
		url: URL,
		rawBody: Buffer | undefined,
	): void {
		const taskId = route === 'status' ? (url.searchParams.get('task_id') ?? '') : '';
		let status: number;
		let error: unknown;
		if ('destroy' in fault) {
			status = 0;
			error = 'connection destroyed';
			request.socket.destroy();
		} else if ('nonJson' in fault) {
			status = 200;
			error = 'non-JSON body';
			response.writeHead(200, { 'content-type': 'text/html' });
			response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
		} else {
			status = fault.status;
			error = fault.body ?? new Refusal(fault.status, `Injected fault ${fault.status}`, `http_${fault.status}`).body;
			const headers = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
			if (typeof error === 'string') {
				response.writeHead(status, { 'content-type': 'text/plain', ...headers });
				response.end(error);
			} else sendJson(response, status, error, randomUUID(), headers);
		}
		if (route === 'submit') rejected.push({ body: jsonOrText(rawBody?.toString('utf8') ?? ''), status, error });
		if (route === 'status') statusQueries.push({ taskId, at: Date.now(), status });
		onEvent?.({ route, status, ...(taskId && { taskId }), detail: `fault: ${JSON.stringify(error)}` });
	}

	function checkAuthorization(request: IncomingMessage): void {
		if (request.headers.authorization !== expectedAuthorization) {
			throw new Refusal(401, 'Invalid API key', 'invalid_api_key');
		}
	}

	function statusAnswer(record: TaskRecord, now: number) {
		const { state, becameTerminalAt, errorMessage } = stateAt(record, now);
		const names = record.plan.statusNames ?? {};
		const servedName = {
			Pending: names.pending ?? 'Pending',
			Running: names.running ?? 'Running',
			Success: names.success ?? 'Success',
			Failure: names.failure ?? 'Failure',
		}[state];
		const submitTime = unixSeconds(record.submittedAt);
		const terminal =
			becameTerminalAt === undefined
				? {}
				: {
						finish_time: unixSeconds(becameTerminalAt),
						...(state === 'Success' ? { urls: [videoUrl(record.taskId)] } : { error_message: errorMessage }),
					};
		return {
			output: { task_id: record.taskId, task_status: servedName, submit_time: submitTime, ...terminal },
			// The page's examples bill the requested length (5) whatever the run took, so that is what we serve.
			...(becameTerminalAt !== undefined && { usage: { duration: record.body.parameters?.duration ?? 5 } }),
			request_id: randomUUID(),
		};
	}

	function stateAt(
		record: TaskRecord,
		now: number,
	): { state: StandInTaskStatus; becameTerminalAt?: number; errorMessage?: string } {
		if (record.completed) {
			const { outcome, errorMessage, at } = record.completed;
			return {
				state: outcome,
				becameTerminalAt: at,
				...(outcome === 'Failure' && { errorMessage: errorMessage ?? DEFAULT_FAILURE_MESSAGE }),
			};
		}
		const { queueMs, renderMs, outcome } = record.plan;
		if (now < record.submittedAt + queueMs) return { state: 'Pending' };
		const terminalAt = record.submittedAt + queueMs + renderMs;
		if (hold || outcome === 'Hang' || now < terminalAt) return { state: 'Running' };
		return {
			state: outcome,
			becameTerminalAt: terminalAt,
			...(outcome === 'Failure' && { errorMessage: record.plan.errorMessage ?? DEFAULT_FAILURE_MESSAGE }),
		};
	}

	function videoUrl(taskId: string): string {
		return `${baseUrl}/files/${encodeURIComponent(taskId)}.mp4`;
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		baseUrl,
		received,
		submissions,
		rejected,
		statusQueries,
		queriesFor: (taskId) => statusQueries.filter((query) => query.taskId === taskId),
		setPlanner: (next) => {
			planner = next;
		},
		complete: (taskId, outcome, errorMessage) => {
			const record = tasks.get(taskId);
			if (!record) throw new Error(`The stand-in has no task ${taskId}`);
			if (stateAt(record, Date.now()).becameTerminalAt !== undefined) {
				throw new Error(`Task ${taskId} has already finished`);
			}
			record.completed = { outcome, at: Date.now(), ...(errorMessage !== undefined && { errorMessage }) };
		},
		task: (taskId) => {
			const record = tasks.get(taskId);
			if (!record) return undefined;
			const { taskId: id, body, plan, submittedAt } = record;
			return { taskId: id, body, plan, submittedAt, ...stateAt(record, Date.now()) };
		},
		restoreTask: (taskId, body) => {
			const accepted = validateSubmitBody(body);
			tasks.set(taskId, {
				taskId,
				body: accepted,
				plan: planner(accepted, submissions.length),
				submittedAt: Date.now(),
			});
		},
		injectFault: (route, fault, times = 1) => {
			for (let i = 0; i < times; i++) faults[route].push(fault);
		},
		clearFaults: (route) => {
			for (const name of route ? [route] : (Object.keys(faults) as FaultRoute[])) faults[name].length = 0;
		},
		videoUrl,
		close: async () => {
			closing.abort();
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await closed;
		},
	};
}

function routeOf(method: string | undefined, pathname: string): FaultRoute | undefined {
	if (method === 'POST' && pathname === '/v1/tasks/submit') return 'submit';
	if (method === 'GET' && pathname === '/v1/tasks/status') return 'status';
	if ((method === 'GET' || method === 'HEAD') && /^\/files\/[^/]+\.mp4$/.test(pathname)) return 'download';
	return undefined;
}

/** Undefined when the body is over the limit; it is still drained so the refusal reaches the client. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
	}
	return size > BODY_LIMIT_BYTES ? undefined : Buffer.concat(chunks);
}

function parseJsonBody(request: IncomingMessage, text: string): unknown {
	const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
	if (mediaType !== 'application/json') {
		throw invalidParameter(null, 'Content-Type must be application/json');
	}
	try {
		return JSON.parse(text);
	} catch {
		throw invalidParameter(null, 'The request body is not valid JSON');
	}
}

function validateSubmitBody(value: unknown): AcceptedSubmitBody {
	const body = expectObject(value, null);
	rejectUnknownFields(body, ['model', 'input', 'parameters'], '');
	if (body.model !== MODEL) throw invalidParameter('model', `model must be ${MODEL}`);
	const input = expectObject(body.input, 'input');
	rejectUnknownFields(input, INPUT_FIELDS, 'input.');
	const prompt = input.prompt;
	if (typeof prompt !== 'string' || prompt.length === 0) {
		throw invalidParameter('input.prompt', 'input.prompt must be a non-empty string');
	}
	if (prompt.length > PROMPT_MAX_LENGTH) {
		throw invalidParameter('input.prompt', `input.prompt must be at most ${PROMPT_MAX_LENGTH} characters`);
	}
	checkMode(input);
	for (const field of ['img_url', 'first_frame_url', 'last_frame_url']) {
		if (field in input) checkImage(input[field], `input.${field}`);
	}
	if ('video_url' in input && !isHttpUrl(input.video_url)) {
		throw invalidParameter('input.video_url', 'input.video_url must be an http(s) URL');
	}
	if ('parameters' in body) checkParameters(expectObject(body.parameters, 'parameters'));
	return body as unknown as AcceptedSubmitBody;
}

function checkMode(input: Record<string, unknown>): void {
	const media = INPUT_FIELDS.filter((field) => field !== 'prompt' && field in input);
	const key = media.join('+');
	if (key === '' || key === 'img_url' || key === 'first_frame_url+last_frame_url' || key === 'video_url') return;
	if (key === 'first_frame_url' || key === 'last_frame_url') {
		const missing = key === 'first_frame_url' ? 'last_frame_url' : 'first_frame_url';
		throw invalidParameter(`input.${missing}`, 'first_frame_url and last_frame_url must be set together');
	}
	throw invalidParameter(
		'input',
		`input must hold one mode: prompt only, img_url, first_frame_url with last_frame_url, or video_url (got ${media.join(', ')})`,
	);
}

function checkImage(value: unknown, param: string): void {
	if (typeof value !== 'string') throw invalidParameter(param, `${param} must be a string`);
	if (isHttpUrl(value)) return;
	const base64 = DATA_URI_IMAGE.exec(value)?.[2] ?? (value.startsWith('data:') ? undefined : value);
	if (base64 !== undefined && base64.length % 4 === 0 && BASE64.test(base64)) return;
	throw invalidParameter(param, `${param} must be an http(s) URL, Base64, or a data:image/(png|jpeg|webp);base64 URI`);
}

function checkParameters(parameters: Record<string, unknown>): void {
	rejectUnknownFields(parameters, PARAMETER_FIELDS, 'parameters.');
	const { resolution, aspect_ratio, duration, generate_audio, seed } = parameters;
	if ('resolution' in parameters && !RESOLUTIONS.includes(resolution as string)) {
		throw invalidParameter('parameters.resolution', `parameters.resolution must be one of ${RESOLUTIONS.join(', ')}`);
	}
	if ('aspect_ratio' in parameters && !ASPECT_RATIOS.includes(aspect_ratio as string)) {
		throw invalidParameter(
			'parameters.aspect_ratio',
			`parameters.aspect_ratio must be one of ${ASPECT_RATIOS.join(', ')}`,
		);
	}
	if ('duration' in parameters && !isIntegerWithin(duration, DURATION_MIN, DURATION_MAX)) {
		throw invalidParameter(
			'parameters.duration',
			`parameters.duration must be an integer from ${DURATION_MIN} to ${DURATION_MAX}`,
		);
	}
	if ('generate_audio' in parameters && generate_audio !== 0 && generate_audio !== 1) {
		throw invalidParameter('parameters.generate_audio', 'parameters.generate_audio must be the integer 0 or 1');
	}
	if ('seed' in parameters && !isIntegerWithin(seed, 0, SEED_MAX)) {
		throw invalidParameter('parameters.seed', `parameters.seed must be an integer from 0 to ${SEED_MAX}`);
	}
}

function expectObject(value: unknown, param: string | null): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw invalidParameter(param, `${param ?? 'The body'} must be a JSON object`);
	}
	return value as Record<string, unknown>;
}

function rejectUnknownFields(object: Record<string, unknown>, known: readonly string[], prefix: string): void {
	const unknown = Object.keys(object).find((field) => !known.includes(field));
	if (unknown !== undefined) throw invalidParameter(`${prefix}${unknown}`, `Unknown field ${prefix}${unknown}`);
}

function isHttpUrl(value: unknown): boolean {
	if (typeof value !== 'string' || !URL.canParse(value)) return false;
	const { protocol } = new URL(value);
	return protocol === 'http:' || protocol === 'https:';
}

function isIntegerWithin(value: unknown, min: number, max: number): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function modeOf(input: AcceptedSubmitBody['input']): string {
	if (input.video_url !== undefined) return 'extend';
	if (input.first_frame_url !== undefined) return 'frames';
	if (input.img_url !== undefined) return 'image';
	return 'text';
}

function jsonOrText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function sendJson(
	response: ServerResponse,
	status: number,
	body: unknown,
	requestId: string = randomUUID(),
	headers: Record<string, string> = {},
): void {
	const payload = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(payload),
		'x-request-id': requestId,
		...headers,
	});
	response.end(payload);
}

function unixSeconds(ms: number): number {
	return Math.floor(ms / 1000);
}

/** An `ftyp` box then a `free` box up to the size asked, so file-type sniffing and size checks behave as for a real MP4. */
function smallMp4(totalBytes: number): Buffer {
	const ftyp = Buffer.alloc(32);
	ftyp.writeUInt32BE(32, 0);
	ftyp.write('ftypisom', 4, 'latin1');
	ftyp.writeUInt32BE(0x200, 12);
	ftyp.write('isomiso2avc1mp41', 16, 'latin1');
	const freeBytes = Math.max(8, totalBytes - ftyp.length);
	const free = Buffer.alloc(freeBytes);
	free.writeUInt32BE(freeBytes, 0);
	free.write('free', 4, 'latin1');
	return Buffer.concat([ftyp, free]);
}
