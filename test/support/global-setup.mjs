// One real redis-server for the whole run (the system binary: nothing is downloaded). Test files share it and keep
// apart by key prefix, so they run in parallel. Plain ESM JavaScript: Jest loads global setup outside its transform.
import { execFileSync } from 'node:child_process';
import { RedisMemoryServer } from 'redis-memory-server';
import { startRedisCluster } from './redis-cluster.mjs';

function systemRedisServer() {
  if (process.env.REDIS_SERVER_BIN) return process.env.REDIS_SERVER_BIN;
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('redis-server not found: apt-get install redis-server (or set REDIS_SERVER_BIN)');
  }
}

export default async function globalSetup() {
  const systemBinary = systemRedisServer();
  const server = new RedisMemoryServer({ binary: { systemBinary } });
  process.env.TEST_REDIS_URL = `redis://${await server.getHost()}:${await server.getPort()}`;
  process.env.REDIS_SERVER_BIN = systemBinary;
  globalThis.__redisServer = server;
  if (process.env.TEST_REDIS_CLUSTER === '1') {
    // `npm run test:cluster`: the apps of the suites use a 3-master Redis Cluster; the one Redis stays for the tests
    // that are about a single Redis.
    const cluster = await startRedisCluster(systemBinary);
    process.env.TEST_REDIS_CLUSTER_NODES = cluster.nodes.join(',');
    globalThis.__redisCluster = cluster;
  }
}
