import { decodeOutboxEntry } from '../../src/outbox/outbox.codec.js';
import type { OutboxEvent, StreamEntry } from '../../src/outbox/outbox.codec.js';
import type { RedisClient } from '../../src/redis/redis-client.js';

/** What an outbox stream holds now, decoded with the outbox's own codec. */
export async function outboxOf(redis: RedisClient, stream: string): Promise<OutboxEvent[]> {
  return ((await redis.xrange(stream, '-', '+')) as StreamEntry[]).map(decodeOutboxEntry);
}
