import { z } from 'zod';
import type { AspectRatio, PreparedImage, Resolution, VideoInput, VideoSettings } from '../domain/video.js';

const MODEL = 'pixverse-v6';

/**
 * An image sent as a `data:` URI, kept as its encoded bytes until the request is written: its Base64 (a third larger)
 * is made a few kilobytes at a time while sending, never held whole.
 */
export interface InlineImage {
	contentType: PreparedImage['contentType'];
	data: Buffer;
}

/** A URL the provider fetches, or an image carried in the body. */
type ImageField = string | InlineImage;

/** The four modes are told apart by which input fields are present, so each shape carries exactly its own. */
type SubmitInput =
	| { prompt: string }
	| { prompt: string; img_url: ImageField }
	| { prompt: string; first_frame_url: ImageField; last_frame_url: ImageField }
	| { prompt: string; video_url: string };

interface SubmitParameters {
	resolution: Resolution;
	aspect_ratio?: AspectRatio;
	duration: number;
	generate_audio: 0 | 1;
	seed: number;
}

export interface SubmitBody {
	model: typeof MODEL;
	input: SubmitInput;
	parameters: SubmitParameters;
}

export const IMAGE_TRANSPORTS = ['base64', 'url'] as const;
export type ImageTransport = (typeof IMAGE_TRANSPORTS)[number];

export function buildSubmitBody(
	prompt: string,
	settings: VideoSettings,
	input: VideoInput,
	imageTransport: ImageTransport,
): SubmitBody {
	return {
		model: MODEL,
		input: buildInput(prompt, input, imageTransport),
		parameters: buildParameters(settings, input),
	};
}

function buildInput(prompt: string, input: VideoInput, imageTransport: ImageTransport): SubmitInput {
	switch (input.mode) {
		case 'text':
			return { prompt };
		case 'image':
			return { prompt, img_url: imageField(input.image, imageTransport) };
		case 'frames':
			return {
				prompt,
				first_frame_url: imageField(input.first, imageTransport),
				last_frame_url: imageField(input.last, imageTransport),
			};
		case 'extend':
			return { prompt, video_url: input.videoUrl };
	}
}

function buildParameters(settings: VideoSettings, input: VideoInput): SubmitParameters {
	// The provider ignores aspect_ratio whenever an image or video is given, so it is only sent when it counts.
	const aspectRatio = input.mode === 'text' ? settings.aspectRatio : undefined;
	return {
		resolution: settings.resolution,
		...(aspectRatio !== undefined && { aspect_ratio: aspectRatio }),
		duration: settings.duration,
		generate_audio: settings.audio ? 1 : 0,
		seed: settings.seed,
	};
}

function imageField(image: PreparedImage, imageTransport: ImageTransport): ImageField {
	return imageTransport === 'url' ? image.sourceUrl : { contentType: image.contentType, data: image.data };
}

/** Bytes of an image turned into Base64 per piece: a multiple of 3, so the pieces' Base64 joins up seamlessly. */
const BASE64_PIECE_BYTES = 48 * 1024;

/** The JSON text of a submit body, as its length and its bytes in pieces, for a request that streams it. */
export interface EncodedSubmitBody {
	byteLength: number;
	pieces(): Iterable<Buffer>;
}

/**
 * Exactly `JSON.stringify` of the body with each inline image as its `data:` URI, written piece by piece. Base64
 * needs no JSON escaping, so an image's pieces go out as they are.
 */
export function encodeSubmitBody({ model, input, parameters }: SubmitBody): EncodedSubmitBody {
	const parts: Array<string | InlineImage> = [`{"model":${JSON.stringify(model)},"input":{`];
	Object.entries(input).forEach(([name, value]: [string, ImageField], index) => {
		const key = `${index === 0 ? '' : ','}${JSON.stringify(name)}:`;
		if (typeof value === 'string') parts.push(`${key}${JSON.stringify(value)}`);
		else parts.push(`${key}"data:${value.contentType};base64,`, value, '"');
	});
	parts.push(`},"parameters":${JSON.stringify(parameters)}}`);
	const byteLength = parts.reduce(
		(sum, part) => sum + (typeof part === 'string' ? Buffer.byteLength(part) : Math.ceil(part.data.length / 3) * 4),
		0,
	);
	return {
		byteLength,
		*pieces() {
			for (const part of parts) {
				if (typeof part === 'string') {
					yield Buffer.from(part);
					continue;
				}
				for (let at = 0; at < part.data.length; at += BASE64_PIECE_BYTES) {
					yield Buffer.from(part.data.subarray(at, at + BASE64_PIECE_BYTES).toString('base64'), 'latin1');
				}
			}
		},
	};
}

// Lenient where the page is silent: optional fields may come as null, and request_id may be empty or missing.
export const submitAnswerSchema = z.object({
	output: z.object({ task_id: z.string().min(1) }),
	request_id: z.string().nullish(),
});

export const statusAnswerSchema = z.object({
	output: z.object({
		task_id: z.string().min(1),
		task_status: z.string().min(1),
		urls: z.array(z.string()).nullish(),
		submit_time: z.number().nullish(),
		finish_time: z.number().nullish(),
		error_message: z.string().nullish(),
	}),
	usage: z.object({ duration: z.number().nullish() }).nullish(),
	request_id: z.string().nullish(),
});
type StatusAnswer = z.infer<typeof statusAnswerSchema>;

export const errorAnswerSchema = z.object({
	error: z.object({
		message: z.string().nullish(),
		type: z.string().nullish(),
		param: z.string().nullish(),
		code: z.union([z.string(), z.number()]).nullish(),
	}),
	request_id: z.string().nullish(),
});

export type TaskState = 'pending' | 'running' | 'success' | 'failure';

export interface TaskStatus {
	taskId: string;
	state: TaskState;
	rawStatus: string;
	urls: string[];
	errorMessage?: string;
	submitTime?: number;
	finishTime?: number;
	usageSeconds?: number;
	requestId: string;
}

export const SUCCESS_WITHOUT_URLS_MESSAGE = 'The provider reported success but returned no video URL.';

// The page lists four statuses, but other models of the same provider also answer these; anything unknown is
// treated as still in progress so a new status never ends a paid job early.
const STATES_BY_STATUS: Readonly<Record<string, TaskState>> = {
	pending: 'pending',
	queued: 'pending',
	success: 'success',
	succeeded: 'success',
	failure: 'failure',
	failed: 'failure',
	expired: 'failure',
	cancelled: 'failure',
	canceled: 'failure',
};

export function normaliseTaskState(rawStatus: string): TaskState {
	return STATES_BY_STATUS[rawStatus.trim().toLowerCase()] ?? 'running';
}

export function toTaskStatus({ output, usage, request_id }: StatusAnswer): TaskStatus {
	const urls = (output.urls ?? []).filter((url) => url.length > 0);
	const reported = normaliseTaskState(output.task_status);
	const successWithoutUrls = reported === 'success' && urls.length === 0;
	const errorMessage = successWithoutUrls ? SUCCESS_WITHOUT_URLS_MESSAGE : output.error_message || undefined;
	return {
		taskId: output.task_id,
		state: successWithoutUrls ? 'failure' : reported,
		rawStatus: output.task_status,
		urls,
		requestId: request_id ?? '',
		...(errorMessage !== undefined && { errorMessage }),
		...(output.submit_time != null && { submitTime: output.submit_time }),
		...(output.finish_time != null && { finishTime: output.finish_time }),
		...(usage?.duration != null && { usageSeconds: usage.duration }),
	};
}
