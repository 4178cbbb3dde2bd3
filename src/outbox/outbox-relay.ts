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
import type { OutboxEvent, StreamEntry } from './outbox.codec.js';
import { outboxScripts } from './outbox.scripts.js';

/** Entries read from one stream per step. */
const BATCH = 100;

/**
 * Moves outbox entries to delivery jobs. Streams to visit come from `{outbox}:pending` (marked after each change,
 * best effort) and, as a backstop for a mark that was lost (a crash between the script and the mark, or a relay that
 * died after taking a mark), from a SCAN of every master for outbox keys at start and every OUTBOX_SCAN_INTERVAL_MS.
 * A marked stream is claimed by removing its mark (SREM answers 1 to one relay only, so instances split the marked
 * streams without a lock); then its entries are read in order, one job per (consumer, target, event) is added, and
 * only then are those entries removed; a stream with entries left is marked again. Two relays on one stream (the
 * SCAN's) do the work twice and deliver once: the job ids make a second hand-over a no-op, and removing removed
 * entries does nothing. A crash anywhere leaves entries in the stream or jobs in BullMQ: nothing is lost.
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
    void this.deliveries.start().catch((error: Error) => this.logger.warn(`delivery workers: ${error.message}`));
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
    if (streams.length === 0) return 0;
    const announced = await this.deliveries.announced();
    let handedOver = 0;
    for (const stream of streams) {
      // Unmarked before reading: a change appended after this point marks the stream again, so it is not forgotten.
      if ((await this.redis.srem(keys.outboxPending(), stream)) === 1)
        handedOver += await this.relay(stream, announced);
    }
    return handedOver;
  }

  /** Relays every outbox stream there is (SCAN over every master). */
  async relayAll(): Promise<number> {
    let handedOver = 0;
    const announced = await this.deliveries.announced();
    for await (const page of scanKeys(this.redis, keys.outboxPattern)) {
      for (const stream of page) handedOver += await this.relay(stream, announced);
    }
    return handedOver;
  }

  /**
   * Hands over what one stream holds, in batches, to this process's consumers and every `announced` one (the
   * consumers some process delivers for, read once per pass); answers how many entries it moved.
   */
  async relay(stream: string, announced?: readonly string[]): Promise<number> {
    const others = announced ?? (await this.deliveries.announced());
    let moved = 0;
    let left = 0;
    try {
      for (;;) {
        const entries = (await this.redis.xrange(stream, '-', '+', 'COUNT', BATCH)) as StreamEntry[];
        if (entries.length === 0) break;
        const events = entries.map(decodeOutboxEntry);
        await this.deliveries.handOver(await this.jobsOf(events, others));
        left = await outboxScripts.trim.run(this.redis, [
          stream,
          ...entries.flatMap(([streamId], i) => [streamId, events[i].id]),
        ]);
        moved += entries.length;
        if (left === 0) break;
      }
    } catch (error) {
      left = 1;
      this.logger.warn(`outbox ${stream}: entries stay for the next pass: ${(error as Error).message}`);
    }
    if (left > 0) await this.redis.sadd(keys.outboxPending(), stream).catch(() => undefined);
    return moved;
  }

  private async jobsOf(events: readonly OutboxEvent[], announced: readonly string[]): Promise<DeliveryJob[]> {
    const jobs: DeliveryJob[] = [];
    // A consumer another process runs and this one does not (mail where SMTP_URL is unset): one routing job per
    // event, which the process running it splits (OutboxDeliveries.run).
    for (const name of announced) {
      if (this.consumers.get(name)) continue;
      for (const event of events) jobs.push({ consumer: name, target: '', event, route: true });
    }
    for (const consumer of this.consumers.all()) {
      const wanted = events.filter((event) => consumer.wants(event));
      if (wanted.length === 0) continue;
      const targets = await consumer.targetsOf(wanted);
      wanted.forEach((event, i) => {
        for (const target of targets[i]) jobs.push({ consumer: consumer.name, target, event });
      });
    }
    return jobs;
  }
}
