import { parseArgs } from 'node:util';

export type RenderModel = 'uniform' | 'by-settings';
export type ScenarioName = 'compare' | 'fleet' | 'videos' | 'frames' | 'oracle' | 'busy-channel' | 'scale';

const SCENARIOS: readonly ScenarioName[] = ['compare', 'fleet', 'videos', 'frames', 'oracle', 'busy-channel', 'scale'];

/** The last commit before inputs were bounded: what the `frames` scenario measures the bot against by default. */
const FRAMES_BASELINE = '61bc775';

export interface BenchFlags {
	scenarios: ScenarioName[];
	/** Commands in the comparison's burst, all sent within one second. */
	jobs: number;
	/** Commands in the fleet scenario, the one run under the production budget. */
	fleetJobs: number;
	/** The global status-query budget of the fleet scenario. */
	qps: number;
	/** Commands per second while the fleet fills up. */
	arrivalPerSecond: number;
	renderModel: RenderModel;
	seed: number;
	/** Seconds after the fleet is fully submitted before the bot is restarted; 0 for no restart. */
	restartAfterSeconds: number;
	videoMegabytes: number;
	/** Commands in the busy-channel scenario, all in one channel. */
	channelJobs: number;
	/** `/video frames` commands sent at once, each with two images of nearly 20 MB. */
	framesJobs: number;
	/** The commit whose bot runs the same `frames` workload for comparison; undefined for none. */
	baselineRevision: string | undefined;
	/** `OWNER_LEASE_SECONDS` of the scale scenario's processes. */
	leaseSeconds: number;
}

const usage = `npm run bench -- [options]
  --scenario compare|fleet|videos|frames|oracle|busy-channel|scale|all   (repeatable; default: compare)
  --jobs N               commands in the comparison burst (default 100)
  --fleet-jobs N         commands in the fleet and scale scenarios (default 1000)
  --qps N                the fleet's and scale's status-query budget (default 10)
  --arrival N            fleet and scale commands per second (default 40)
  --lease S              OWNER_LEASE_SECONDS of the scale scenario's processes (default 6)
  --render-model uniform|by-settings   (default uniform)
  --restart-after S      restart the fleet's bot S seconds after its last submit (default 10; 0 = never)
  --video-mb N           video size for the videos scenario (default 8)
  --channel-jobs N       commands in the busy-channel scenario, one channel (default 200)
  --frames-jobs N        /video frames commands at once, two ~20 MB images each (default 10)
  --baseline-rev REV     the commit whose bot runs the frames workload too (default ${FRAMES_BASELINE}; none to skip)
  --seed N               workload seed (default 1)`;

export function parseFlags(argv: string[]): BenchFlags {
	const { values } = parseArgs({
		args: argv,
		options: {
			scenario: { type: 'string', multiple: true },
			jobs: { type: 'string' },
			'fleet-jobs': { type: 'string' },
			qps: { type: 'string' },
			arrival: { type: 'string' },
			'render-model': { type: 'string' },
			'restart-after': { type: 'string' },
			'video-mb': { type: 'string' },
			'channel-jobs': { type: 'string' },
			'frames-jobs': { type: 'string' },
			'baseline-rev': { type: 'string' },
			lease: { type: 'string' },
			seed: { type: 'string' },
			help: { type: 'boolean' },
		},
	});
	if (values.help) {
		console.log(usage);
		process.exit(0);
	}
	const requested = values.scenario ?? ['compare'];
	const scenarios: ScenarioName[] = requested.includes('all')
		? [...SCENARIOS]
		: requested.map((name) => {
				const known = SCENARIOS.find((scenario) => scenario === name);
				if (!known) throw new Error(`unknown scenario ${name}\n${usage}`);
				return known;
			});
	const model = values['render-model'] ?? 'uniform';
	if (model !== 'uniform' && model !== 'by-settings') throw new Error(`unknown render model ${model}\n${usage}`);
	const number = (value: string | undefined, fallback: number) => {
		const parsed = value === undefined ? fallback : Number(value);
		if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`not a number: ${value}\n${usage}`);
		return parsed;
	};
	return {
		scenarios,
		jobs: number(values.jobs, 100),
		fleetJobs: number(values['fleet-jobs'], 1000),
		qps: number(values.qps, 10),
		arrivalPerSecond: number(values.arrival, 40),
		renderModel: model,
		seed: number(values.seed, 1),
		restartAfterSeconds: number(values['restart-after'], 10),
		videoMegabytes: number(values['video-mb'], 8),
		channelJobs: number(values['channel-jobs'], 200),
		framesJobs: number(values['frames-jobs'], 10),
		baselineRevision: values['baseline-rev'] === 'none' ? undefined : (values['baseline-rev'] ?? FRAMES_BASELINE),
		leaseSeconds: number(values.lease, 6),
	};
}
