import type { PreparedImage, VideoInput, VideoSettings } from '../domain/video.js';
import { MODEL, type SubmitBody, type SubmitInput, type SubmitParameters } from './wire.js';

export type ImageTransport = 'base64' | 'url';

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

function imageField(image: PreparedImage, imageTransport: ImageTransport): string {
	return imageTransport === 'url' ? image.sourceUrl : `data:${image.contentType};base64,${image.base64}`;
}
