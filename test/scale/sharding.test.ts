import { afterAll, beforeAll } from 'vitest';
import { type PostgresServer, startPostgresServer } from '../../standins/servers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../../standins/servers/redis-server.js';
import { sharedWorld } from '../support/sharded-world.js';
import { describeTwoProcessesOneShardEach } from '../support/two-shard-processes.js';

let postgres: PostgresServer;
let redis: RedisServer;
let databases = 0;

beforeAll(async () => {
	[postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
});

afterAll(async () => {
	await Promise.all([postgres?.stop(), redis?.close()]);
});

/** A world whose bots share a new database and the Redis, as processes of some shards each must. */
async function scaledWorld() {
	databases += 1;
	const databaseUrl = await postgres.createDatabase(`sharding_${databases}`);
	return sharedWorld({}, { DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
}

describeTwoProcessesOneShardEach('two processes, one shard each, on one PostgreSQL and Redis', scaledWorld, 'either');
