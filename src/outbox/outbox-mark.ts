import { keys } from '../redis/keys.js';
import type { RedisClient } from '../redis/redis-client.js';

/**
 * Marks an outbox stream as holding entries, after the script that appended to it: best effort and not awaited by
 * the request (the relay's SCAN finds a stream whose mark was lost). The set is in its own slot, so it cannot be
 * written by the domain's script on Redis Cluster.
 */
export function markOutbox(redis: RedisClient, stream: string): void {
  redis.sadd(keys.outboxPending(), stream).catch(() => undefined);
}
