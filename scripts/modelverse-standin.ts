import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { type StandInEvent, startModelverseStandIn } from '../standins/modelverse/modelverse-standin.js';

const DEFAULT_KEY = 'test-key';

const environmentSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
	MODELVERSE_API_KEY: z.string().min(1).default(DEFAULT_KEY),
	MODELVERSE_AUTH_SCHEME: z.enum(['raw', 'bearer']).default('raw'),
});

const parsed = environmentSchema.safeParse(process.env);
if (!parsed.success) {
	console.error(`Cannot start the Modelverse stand-in:\n${z.prettifyError(parsed.error)}`);
	process.exit(1);
}
const { PORT, MODELVERSE_API_KEY, MODELVERSE_AUTH_SCHEME } = parsed.data;

const standIn = await startModelverseStandIn({
	apiKey: MODELVERSE_API_KEY,
	authScheme: MODELVERSE_AUTH_SCHEME,
	port: PORT,
	// Timings close to the real service, so an operator sees the bot's progress messages as members would.
	plan: () => ({ queueMs: randomInt(5_000, 20_001), renderMs: randomInt(30_000, 90_001), outcome: 'Success' }),
	onEvent: (event) => console.log(formatEvent(event)),
});

const keyShown = MODELVERSE_API_KEY === DEFAULT_KEY ? DEFAULT_KEY : '<the MODELVERSE_API_KEY you set here>';
console.log(`Modelverse stand-in listening on ${standIn.baseUrl} (no credits are spent, videos are placeholders)`);
console.log('Point the bot at it with:');
console.log(`  MODELVERSE_BASE_URL=${standIn.baseUrl}`);
console.log(`  MODELVERSE_API_KEY=${keyShown}`);
console.log(`  MODELVERSE_AUTH_SCHEME=${MODELVERSE_AUTH_SCHEME}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		console.log(`${signal} received, stopping the stand-in`);
		void standIn.close().then(() => process.exit(0));
	});
}

function formatEvent({ route, status, taskId, mode, taskStatus, detail }: StandInEvent): string {
	const parts = [new Date().toISOString(), route.padEnd(8), String(status)];
	if (taskId) parts.push(`task=${taskId}`);
	if (mode) parts.push(`mode=${mode}`);
	if (taskStatus) parts.push(`task_status=${taskStatus}`);
	if (detail) parts.push(detail);
	return parts.join(' ');
}
