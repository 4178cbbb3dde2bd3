import { expect } from '@jest/globals';
import { Queue } from 'bullmq';
import type { AppConfig } from '../../src/config/app-config.js';
import { OutboxConsumer } from '../../src/outbox/outbox-consumer.js';
import type { DeliveryResult } from '../../src/outbox/outbox-consumer.js';
import { deliveryQueueName } from '../../src/outbox/outbox-deliveries.js';
import { bullConnection } from '../../src/redis/bull-connection.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from './eventually.js';
import { decodeOutboxEntry } from '../../src/outbox/outbox.codec.js';
import type { OutboxEvent, StreamEntry } from '../../src/outbox/outbox.codec.js';
import type { RedisClient } from '../../src/redis/redis-client.js';

/** What an outbox stream holds now, decoded with the outbox's own codec. */
export async function outboxOf(redis: RedisClient, stream: string): Promise<OutboxEvent[]> {
  return ((await redis.xrange(stream, '-', '+')) as StreamEntry[]).map(decodeOutboxEntry);
}

/**
 * Waits until a consumer's delivery queue has nothing waiting, running or delayed: counts taken after this would see a
 * late duplicate delivery that counts taken as soon as the expected number arrived would miss.
 */
export async function deliveriesDrained(config: AppConfig, consumer: string, timeoutMs = 15_000): Promise<void> {
  const connection = bullConnection(config);
  const queue = new Queue(deliveryQueueName(consumer), {
    connection: connection.connection,
    prefix: config.redisKeyPrefix + keys.jobs(),
  });
  try {
    await eventually(async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    }, timeoutMs);
  } finally {
    await queue.close();
    await connection.close();
  }
}

/** A consumer of `seat.reserved` that counts each delivery it is given by event id, and is done with it at once. */
export class CountingConsumer extends OutboxConsumer {
  readonly seen = new Map<string, number>();

  constructor(readonly name: string) {
    super();
  }

  wants(event: OutboxEvent): boolean {
    return event.type === 'seat.reserved';
  }

  deliver(event: OutboxEvent): Promise<DeliveryResult> {
    this.seen.set(event.id, (this.seen.get(event.id) ?? 0) + 1);
    return Promise.resolve({ status: 'done' });
  }
}
