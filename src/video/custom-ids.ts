import { z } from 'zod';

/** Reroll, Extend and Delete sit on a posted video; Cancel on the progress reply of a job waiting in line. */
export const RESULT_ACTIONS = ['reroll', 'extend', 'delete', 'cancel'] as const;
export type ResultAction = (typeof RESULT_ACTIONS)[number] | 'extend-prompt';

const customIdSchema = z.object({
	scope: z.literal('video'),
	action: z.enum([...RESULT_ACTIONS, 'extend-prompt']),
	jobId: z.string().regex(/^[\w-]{8,25}$/),
});

export type ResultCustomId = z.infer<typeof customIdSchema>;

/** Custom ids carry the job id, so buttons keep working after a restart with nothing held in memory. */
export function resultCustomId(action: ResultAction, jobId: string): string {
	return `video:${action}:${jobId}`;
}

/** Anyone can send any custom id to a bot, so it is parsed like any other input. */
export function parseResultCustomId(customId: string): ResultCustomId | undefined {
	const [scope, action, jobId, ...rest] = customId.split(':');
	if (rest.length > 0) return undefined;
	const parsed = customIdSchema.safeParse({ scope, action, jobId });
	return parsed.success ? parsed.data : undefined;
}
