import type { Config } from '../config.js';
import { type AuthScheme, ModelverseClient } from '../modelverse/client.js';
import { ModelverseError } from '../modelverse/errors.js';
import { type CheckResult, errorText, failed, passed } from './doctor-report.js';

const otherScheme = (scheme: AuthScheme): AuthScheme => (scheme === 'raw' ? 'bearer' : 'raw');

/** With a budget shared through Redis, each status query waits for its permit there, as the bot's do. */
type Permits = { permit(): Promise<void> } | undefined;

async function keyRefusal(settings: Config['modelverse'], permits: Permits): Promise<unknown> {
	try {
		await permits?.permit();
		await new ModelverseClient(settings).checkKey();
		return undefined;
	} catch (error) {
		return error;
	}
}

/** A status query for a task that cannot exist: it spends nothing and answers 401 only for a wrong key or form. */
export async function checkModelverseKey(settings: Config['modelverse'], permits?: Permits): Promise<CheckResult> {
	const label = 'Modelverse key';
	const scheme = settings.authScheme;
	const refusal = await keyRefusal(settings, permits);
	if (refusal === undefined) return passed(label, `accepted by ${settings.baseUrl} (MODELVERSE_AUTH_SCHEME=${scheme})`);
	if (refusal instanceof ModelverseError && refusal.kind === 'forbidden') return failed(label, refusal.message);
	if (!(refusal instanceof ModelverseError) || refusal.kind !== 'auth') {
		const transient = refusal instanceof ModelverseError && refusal.retryable;
		const detail = `could not be checked at ${settings.baseUrl}: ${errorText(refusal)}`;
		return failed(
			label,
			transient ? `${detail} (the provider may be down or busy: the bot still starts and checks again)` : detail,
		);
	}
	const alternative = otherScheme(scheme);
	if ((await keyRefusal({ ...settings, authScheme: alternative }, permits)) === undefined) {
		return failed(
			label,
			`refused with MODELVERSE_AUTH_SCHEME=${scheme}, but accepted with ${alternative}: set MODELVERSE_AUTH_SCHEME=${alternative}`,
		);
	}
	return failed(label, `refused by ${settings.baseUrl} in both forms (raw and bearer): the key itself is wrong`);
}
