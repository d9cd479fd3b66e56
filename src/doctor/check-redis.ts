import { Redis } from 'ioredis';
import { type CheckResult, errorText, failed, passed } from './doctor-report.js';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The Redis that shares the status-query budget: reachable, and keeping what it is given (an evicted window would
 * let the processes overspend). Named by host and port only: the URL may carry a password.
 */
export async function checkRedis(redisUrl: string): Promise<CheckResult> {
	const label = 'query budget (Redis)';
	const where = new URL(redisUrl).host;
	const redis = new Redis(redisUrl, {
		lazyConnect: true,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		connectTimeout: CONNECT_TIMEOUT_MS,
		retryStrategy: () => null,
	});
	redis.on('error', () => undefined);
	try {
		await redis.connect();
		await redis.ping();
		const policy = await redis.config('GET', 'maxmemory-policy').then(
			(answer) => (Array.isArray(answer) ? String(answer[1]) : undefined),
			() => undefined,
		);
		if (policy === undefined)
			return passed(label, `${where} answers (its maxmemory-policy could not be read: CONFIG is off)`);
		if (policy !== 'noeviction') {
			return failed(label, `${where} answers, but its maxmemory-policy is ${policy}: set noeviction`);
		}
		return passed(label, `${where} answers, maxmemory-policy noeviction`);
	} catch (error) {
		return failed(label, `${where} cannot be reached: ${errorText(error)}`);
	} finally {
		redis.disconnect();
	}
}
