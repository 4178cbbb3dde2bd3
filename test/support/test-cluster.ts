import { Cluster } from 'ioredis';
import { startRedisCluster } from './redis-cluster.mjs';

export interface TestCluster {
  readonly ports: number[];
  /** An ioredis Cluster client over all masters, with the given key prefix. */
  client(keyPrefix: string): Cluster;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `masters` redis-server processes (no replicas) on loopback ports, the same kind that
 * `npm run test:cluster` runs every suite against, for tests of code that must work there (SCAN per master, MULTI
 * within one hash tag), with cluster clients closed at stop.
 */
export async function startCluster(masters = 3): Promise<TestCluster> {
  const processes = await startRedisCluster(process.env.REDIS_SERVER_BIN ?? 'redis-server', 'redis-cli', masters);
  const ports = processes.nodes.map((node) => Number(node.split(':')[1]));
  const clients: Cluster[] = [];
  return {
    ports,
    client(keyPrefix: string) {
      const cluster = new Cluster([{ host: '127.0.0.1', port: ports[0] }], { keyPrefix });
      clients.push(cluster);
      return cluster;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      await processes.stop();
    },
  };
}
