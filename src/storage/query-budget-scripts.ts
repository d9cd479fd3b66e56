import type { Redis, Result } from 'ioredis';

declare module 'ioredis' {
	interface RedisCommander<Context> {
		takeQueryPermit(
			nextGrantKey: string,
			spacingKey: string,
			permits: number,
			windowUs: number,
		): Result<[granted: number, grantedAtOrWaitUs: number, spacingUs: number], Context>;
		holdQueryPermits(nextGrantKey: string, forUs: number): Result<number, Context>;
	}
}

/**
 * Grants spaced evenly in time, one key per API key holding when the next grant may be (µs, from Redis's own `TIME`,
 * so the bots' clocks never matter): `permits` per window, each `window / permits` after the one before, never in a
 * burst. A window's worth sent at once would queue in the sender, and the last of them, delayed most, would share a
 * second at the provider with the next window's first; spaced grants arrive as evenly as they were granted. Redis runs
 * a script atomically, no other command in between: reading the next grant's time and moving it on are one step, so
 * processes racing for a permit cannot both get it.
 *
 * The widest spacing any process asked for within the last minute is the one kept (the second key): processes
 * configured with different budgets for one API key then hold the smallest of them together, never the largest.
 * Answers `{1, granted at, spacing}`, or `{0, µs until the next grant, spacing}`.
 */
const EVENLY_SPACED_GRANTS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local spacing = math.ceil(tonumber(ARGV[2]) / tonumber(ARGV[1]))
local widest = tonumber(redis.call('GET', KEYS[2]) or '0')
if widest > spacing then
	spacing = widest
else
	redis.call('SET', KEYS[2], spacing, 'PX', 60000)
end
local next_grant = tonumber(redis.call('GET', KEYS[1]) or '0')
if next_grant > now then
	return {0, next_grant - now, spacing}
end
redis.call('SET', KEYS[1], string.format('%.0f', now + spacing), 'PX', math.ceil(spacing / 1000) + 1000)
return {1, now, spacing}
`;

/**
 * The provider asked for a pause (429 with Retry-After): the next grant moves to the end of it for every process on
 * the API key, never earlier than it already was.
 */
const HOLD_GRANTS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local hold_until = now + tonumber(ARGV[1])
local next_grant = tonumber(redis.call('GET', KEYS[1]) or '0')
if hold_until > next_grant then
	redis.call('SET', KEYS[1], string.format('%.0f', hold_until), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 1000)
end
return 1
`;

export function defineBudgetScripts(redis: Redis): void {
	redis.defineCommand('takeQueryPermit', { numberOfKeys: 2, lua: EVENLY_SPACED_GRANTS });
	redis.defineCommand('holdQueryPermits', { numberOfKeys: 1, lua: HOLD_GRANTS });
}
