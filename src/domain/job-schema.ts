import { z } from 'zod';
import { enUS, type MessageKey } from '../i18n/en-US/index.js';
import { type CreditReservation, JOB_STATES, type Job } from './job.js';
import { ASPECT_RATIOS, RESOLUTIONS, VIDEO_MODES } from './video.js';

const epochMs = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();
const text = z.string().min(1);

const messageKey = z.custom<MessageKey>((value) => typeof value === 'string' && Object.hasOwn(enUS, value), {
	message: 'is not a message the bot knows',
});

export const creditReservationSchema = z.looseObject({
	jobId: text,
	guildId: text,
	userId: text,
	cost: nonNegative,
	periodKey: text,
	monthKey: text,
}) satisfies z.ZodType<CreditReservation>;

/**
 * A job as read back from the store. Fields this schema does not name are kept, not dropped, so a record written by a
 * newer bot is never truncated by reading it.
 */
export const jobSchema = z.looseObject({
	id: text,
	guildId: text,
	channelId: text,
	userId: text,
	locale: z.enum(['en-US', 'zh-CN']),
	mode: z.enum(VIDEO_MODES),
	prompt: z.string(),
	settings: z.looseObject({
		resolution: z.enum(RESOLUTIONS),
		aspectRatio: z.enum(ASPECT_RATIOS).exactOptional(),
		duration: z.number().int().positive(),
		audio: z.boolean(),
		seed: z.number().int().nonnegative(),
	}),
	cost: nonNegative,
	inputUrls: z.array(z.string()),
	inputImages: z.array(z.looseObject({ url: z.string(), bytes: nonNegative, contentType: z.string() })),
	state: z.enum(JOB_STATES),
	createdAt: epochMs,
	updatedAt: epochMs,
	submittedAt: epochMs.exactOptional(),
	renderStartedAt: epochMs.exactOptional(),
	finishedAt: epochMs.exactOptional(),
	deadlineAt: epochMs,
	taskId: text.exactOptional(),
	requestId: z.string().exactOptional(),
	interaction: z.looseObject({
		applicationId: text,
		token: text,
		expiresAt: epochMs,
		attachmentSizeLimit: nonNegative,
	}),
	reservation: creditReservationSchema,
	owner: text.exactOptional(),
	linePosition: z.number().int().positive().exactOptional(),
	progressMessageId: text.exactOptional(),
	result: z
		.looseObject({
			providerUrl: z.string(),
			expiresAt: epochMs,
			posted: z.looseObject({ channelId: text, messageId: text }).exactOptional(),
			linkOnly: z.boolean(),
			uploadRefused: z.literal(true).exactOptional(),
		})
		.exactOptional(),
	failure: z
		.looseObject({
			key: messageKey,
			params: z.record(z.string(), z.union([z.string(), z.number()])),
		})
		.exactOptional(),
	renderSeconds: nonNegative.exactOptional(),
}) satisfies z.ZodType<Job>;
