import { z } from 'zod';
import type { AspectRatio, Resolution } from '../domain/video.js';

export const MODEL = 'pixverse-v6';

/** The four modes are told apart by which input fields are present, so each shape carries exactly its own. */
export type SubmitInput =
	| { prompt: string }
	| { prompt: string; img_url: string }
	| { prompt: string; first_frame_url: string; last_frame_url: string }
	| { prompt: string; video_url: string };

export interface SubmitParameters {
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
export type StatusAnswer = z.infer<typeof statusAnswerSchema>;

export const errorAnswerSchema = z.object({
	error: z.object({
		message: z.string().nullish(),
		type: z.string().nullish(),
		param: z.string().nullish(),
		code: z.union([z.string(), z.number()]).nullish(),
	}),
	request_id: z.string().nullish(),
});
