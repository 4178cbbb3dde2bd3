import type { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { clusterSeeds, parseNode } from './redis-client.js';

/** How BullMQ's connections show in CLIENT LIST, next to the service's own `booking-service`. */
const NAME = 'booking-service:jobs';

/** What a BullMQ queue or worker connects with, and how to close what was opened for it. */
export interface BullConnection {
  readonly connection: ConnectionOptions;
  close(): Promise<void>;
}

/**
 * BullMQ wants its own connections: blocking commands, and no per-command retry limit (it retries itself). For one
 * Redis it gets options and manages the connections; on Redis Cluster it needs a cluster client, which it shares and
 * never closes, so close() does. Its keys carry the `{jobs}` hash tag, which Cluster requires of BullMQ.
 */
export function bullConnection(config: AppConfig): BullConnection {
  if (config.redisClusterNodes.length > 0) {
    const { startupNodes, auth } = clusterSeeds(config.redisClusterNodes);
    const cluster = new Cluster(startupNodes, {
      redisOptions: { ...auth, maxRetriesPerRequest: null, connectionName: NAME },
    });
    return {
      // BullMQ bundles its own ioredis; it recognises a client by its methods, so this one is accepted.
      connection: cluster as unknown as ConnectionOptions,
      close: () =>
        cluster.quit().then(
          () => undefined,
          () => cluster.disconnect(),
        ),
    };
  }
  const { tls, ...address } = parseNode(config.redisUrl!);
  return {
    connection: { ...address, tls: tls ? {} : undefined, maxRetriesPerRequest: null, connectionName: NAME },
    close: async () => undefined,
  };
}
