import { RedisMemoryServer } from 'redis-memory-server';
import { findRedisServer } from '../../src/redis/embedded-redis';

/**
 * One real redis-server for the whole run (the system binary: nothing is downloaded). Test files share it and keep
 * apart by key prefix, so they can run in parallel.
 */
export default async function globalSetup(): Promise<void> {
  const systemBinary = findRedisServer(process.env.REDIS_SERVER_BIN);
  if (!systemBinary) throw new Error('redis-server not found: apt-get install redis-server (or set REDIS_SERVER_BIN)');
  const server = new RedisMemoryServer({ binary: { systemBinary } });
  const host = await server.getHost();
  const port = await server.getPort();
  process.env.TEST_REDIS_URL = `redis://${host}:${port}`;
  process.env.REDIS_SERVER_BIN = systemBinary;
  (globalThis as { __redisServer?: RedisMemoryServer }).__redisServer = server;
}
