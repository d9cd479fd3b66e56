import { onTestFinished } from 'vitest';
import { type Harness, type HarnessOptions, startHarness } from '../../standins/harness.js';

/**
 * Starts the stand-ins and the bot for the running test, and closes them when it finishes, checking that Discord
 * would have accepted every request the bot sent: each test closes its own, even one that failed before its start.
 */
export async function startHarnessForTest(options: HarnessOptions = {}): Promise<Harness> {
	const harness = await startHarness(options);
	onTestFinished(() => harness.closeChecked());
	return harness;
}
