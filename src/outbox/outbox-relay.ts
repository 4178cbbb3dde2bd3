import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Periodic } from '../common/periodic.js';
import { AppConfig } from '../config/app-config.js';
import { keys } from '../redis/keys.js';
import { RedisClient } from '../redis/redis-client.js';
import { scanKeys } from '../redis/scan-keys.js';
import { OutboxConsumers } from './outbox-consumer.js';
import { OutboxDeliveries } from './outbox-deliveries.js';
import type { DeliveryJob } from './outbox-deliveries.js';
import { decodeOutboxEntry } from './outbox.codec.js';
import type { StreamEntry } from './outbox.codec.js';
import { outboxScripts } from './outbox.scripts.js';

/** Entries read from one stream per step. */
const BATCH = 100;
/** How long a relay may hold a stream (one pass over it is far shorter; a relay that died frees it after this). */
const LEASE_MS = 30_000;

/**
 * Moves outbox entries to delivery jobs. Streams to visit come from `{outbox}:pending` (marked after each change,
 * best effort) and, as a backstop for a mark that was lost (a crash between the script and the mark), from a SCAN of
 * every master for outbox keys every OUTBOX_SCAN_INTERVAL_MS. Per stream: take its lease (a lock key in its slot, so
 * several instances split the work), unmark it, read entries in order, add one job per (consumer, target, event),
 * and only then remove those entries; a stream with entries left is marked again. A crash anywhere leaves entries in
 * the stream (they are handed over again; the job ids make that a no-op) or jobs in BullMQ: nothing is lost.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly poll = new Periodic('OutboxRelay', () => this.relayPending());
  private readonly scan = new Periodic('OutboxRelayScan', () => this.relayAll());

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly consumers: OutboxConsumers,
    private readonly deliveries: OutboxDeliveries,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.outboxRelay) return;
    this.deliveries.start();
    this.poll.start(this.config.outboxPollIntervalMs);
    this.scan.start(this.config.outboxScanIntervalMs);
    // What a crash or a lost mark left behind is found at start, not only after the first scan interval.
    void this.scan.runOnce();
  }

  onApplicationShutdown(): void {
    this.poll.stop();
    this.scan.stop();
  }

  /** Relays the streams marked pending (up to 100 per pass, in random order so instances spread out). */
  async relayPending(): Promise<number> {
    const streams = await this.redis.srandmember(keys.outboxPending(), 100);
    let handedOver = 0;
    for (const stream of streams) handedOver += await this.relay(stream);
    return handedOver;
  }

  /** Relays every outbox stream there is (SCAN over every master). */
  async relayAll(): Promise<number> {
    let handedOver = 0;
    for await (const page of scanKeys(this.redis, keys.outboxPattern)) {
      for (const stream of page) handedOver += await this.relay(stream);
    }
    return handedOver;
  }

  /** Hands over what one stream holds; 0 when another relay holds its lease. Answers how many entries it moved. */
  async relay(stream: string): Promise<number> {
    const lock = keys.outboxLock(stream);
    const token = randomUUID();
    if ((await this.redis.set(lock, token, 'PX', LEASE_MS, 'NX')) !== 'OK') return 0;
    let moved = 0;
    let left = 0;
    try {
      // Unmarked before reading: a change appended after this point marks the stream again, so it is not forgotten.
      await this.redis.srem(keys.outboxPending(), stream);
      for (;;) {
        const entries = (await this.redis.xrange(stream, '-', '+', 'COUNT', BATCH)) as StreamEntry[];
        if (entries.length === 0) break;
        await this.deliveries.handOver(await this.jobsOf(entries));
        left = await outboxScripts.trim.run(this.redis, [stream, ...entries.map(([id]) => id)]);
        moved += entries.length;
        if (left === 0) break;
      }
    } catch (error) {
      left = 1;
      this.logger.warn(`outbox ${stream}: entries stay for the next pass: ${(error as Error).message}`);
    } finally {
      if (left > 0) await this.redis.sadd(keys.outboxPending(), stream).catch(() => undefined);
      await outboxScripts.unlock.run(this.redis, [lock, token]).catch(() => undefined);
    }
    return moved;
  }

  private async jobsOf(entries: readonly StreamEntry[]): Promise<DeliveryJob[]> {
    const jobs: DeliveryJob[] = [];
    for (const entry of entries) {
      const event = decodeOutboxEntry(entry);
      for (const consumer of this.consumers.all()) {
        if (!consumer.wants(event)) continue;
        for (const target of await consumer.targets(event)) jobs.push({ consumer: consumer.name, target, event });
      }
    }
    return jobs;
  }
}
