import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
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

/** Marked streams claimed per pass. */
const CLAIM = 100;

/**
 * A stream in a pass: its last entry when the pass began (stream id and event id) and the stream id after which the
 * next take reads ('-': from the start).
 */
interface Tail {
  readonly stream: string;
  readonly last: string;
  readonly lastId: string;
  readonly after: string;
}

/** A stream being relayed in a pass: what its last read answered. */
interface Read {
  readonly stream: string;
  readonly entries: readonly StreamEntry[];
  readonly events: readonly OutboxEvent[];
}

/**
 * Moves outbox entries to delivery jobs. Streams to visit come from `{outbox}:pending` (marked after each change,
 * best effort) and, as a backstop for a mark that was lost (a crash between the script and the mark, or a relay that
 * died after taking a mark), from a SCAN of every master for outbox keys at start and every OUTBOX_SCAN_INTERVAL_MS.
 * Marked streams are claimed by taking their marks (SPOP gives each mark to one relay only, so instances split the
 * marked streams without a lock); then their entries are read in order, one job per (consumer, target, event) is
 * added, and only then are those entries removed; a stream with entries left is marked again.
 *
 * Cost (docs/performance.md): the streams claimed in a pass are worked together, so a pass makes the same few round
 * trips whether it relays one stream or a hundred (their reads, and their trims, go out in one socket write per Redis
 * node; one target lookup and one job hand-over per consumer for all of them); a pass reads each stream up to its
 * last entry when the pass began (what is appended during a pass waits for the next one, OUTBOX_POLL_INTERVAL_MS, so a busy
 * stream is read in batches, not an entry or two per round trip); and entries of types no consumer wants (no webhook
 * endpoint subscribes to them, no mail is sent for them) are removed by the take script unread.
 *
 * Two relays on one stream (the SCAN's) do the work twice and deliver once: the job ids make a second hand-over a
 * no-op, and removing removed entries does nothing. A crash anywhere leaves entries in the stream or jobs in BullMQ:
 * nothing is lost.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
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

  /** Waits for a pass that is running (its re-marks need Redis, which closes after this). */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.poll.stop(), this.scan.stop()]);
  }

  /** Relays the streams marked pending (up to 100 per pass, in random order so instances spread out). */
  async relayPending(): Promise<number> {
    // Unmarked before reading: a change appended after this point marks the stream again, so it is not forgotten.
    const streams = await this.redis.spop(keys.outboxPending(), CLAIM);
    if (streams.length === 0) return 0;
    return this.relayStreams(streams);
  }

  /** Relays every outbox stream there is (SCAN over every master). */
  async relayAll(): Promise<number> {
    let handedOver = 0;
    for await (const page of scanKeys(this.redis, keys.outboxPattern)) {
      // Shutting down: the rest waits for the next process's scan (a whole scan has no bound to wait for).
      if (this.scan.stopping) break;
      handedOver += await this.relayStreams(page);
    }
    return handedOver;
  }

  /** Hands over what one stream holds; answers how many entries it moved. */
  relay(stream: string): Promise<number> {
    return this.relayStreams([stream]);
  }

  /**
   * Hands over what the streams hold, in batches, to this process's consumers and every announced one (the consumers
   * some process delivers for); answers how many entries it removed (handed over, or wanted by no consumer). A stream
   * whose read, hand-over or trim failed, or with wanted entries left, is marked again for a later pass; entries
   * appended after the pass fixed a stream's last one wait for the next pass (their appender marks the stream after
   * its script, so after this pass claimed it).
   *
   * Which entries a pass reads is fixed first (each stream's last entry), then who wants what is looked up (the
   * announced consumers and each consumer's interest), then the take script answers the wanted entries up to that
   * last one and removes the rest: a consumer announced or an endpoint registered after the lookup came after every
   * entry the pass removes unread.
   */
  private async relayStreams(streams: readonly string[]): Promise<number> {
    const again: string[] = [];
    const tails: Tail[] = [];
    // Each stream on its own: one that cannot be read (a failing shard) holds up no other.
    await Promise.all(
      streams.map(async (stream) => {
        try {
          const [last] = (await this.redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
          if (last) tails.push({ stream, last: last[0], lastId: decodeOutboxEntry(last).id, after: '-' });
        } catch (error) {
          // A key of another type under an outbox name is no stream: marking it again would only fail again.
          if (!/^WRONGTYPE/.test((error as Error).message)) again.push(stream);
          this.warn(stream, error as Error);
        }
      }),
    );
    let others: readonly string[] = [];
    let wanted: readonly string[] = [];
    if (tails.length > 0) {
      try {
        others = await this.deliveries.announced();
        wanted = await this.interest(others);
      } catch (error) {
        for (const tail of tails) again.push(tail.stream);
        this.warn(tails.map((tail) => tail.stream).join(', '), error as Error);
        tails.length = 0;
      }
    }
    let moved = 0;
    let pending = tails;
    while (pending.length > 0) {
      const reads: (Read & { readonly tail: Tail; readonly more: boolean })[] = [];
      await Promise.all(
        pending.map(async (tail) => {
          try {
            const [more, dropped, ...entries] = await outboxScripts.take.run(this.redis, [
              tail.stream,
              tail.after,
              tail.last,
              tail.lastId,
              BATCH,
              ...wanted,
            ]);
            moved += dropped;
            if (entries.length > 0 || more === 1) {
              reads.push({
                stream: tail.stream,
                tail,
                more: more === 1,
                entries,
                events: entries.map(decodeOutboxEntry),
              });
            }
          } catch (error) {
            again.push(tail.stream);
            this.warn(tail.stream, error as Error);
          }
        }),
      );
      if (reads.length === 0) break;
      try {
        await this.deliveries.handOver(
          await this.jobsOf(
            reads.flatMap((read) => read.events),
            others,
          ),
        );
      } catch (error) {
        for (const read of reads) again.push(read.stream);
        this.warn(reads.map((read) => read.stream).join(', '), error as Error);
        break;
      }
      const next: Tail[] = [];
      await Promise.all(
        reads.map(async ({ stream, tail, more, entries, events }) => {
          try {
            const left =
              entries.length === 0
                ? 0
                : await outboxScripts.trim.run(this.redis, [
                    stream,
                    ...entries.flatMap(([streamId], i) => [streamId, events[i].id]),
                  ]);
            moved += entries.length;
            // Read on after what this take answered (an entry the trim could not remove is not read again here).
            if (more) next.push({ ...tail, after: entries.length > 0 ? entries[entries.length - 1][0] : tail.after });
            else if (left > 0) again.push(stream);
          } catch (error) {
            again.push(stream);
            this.warn(stream, error as Error);
          }
        }),
      );
      pending = next;
    }
    if (again.length > 0) await this.redis.sadd(keys.outboxPending(), ...again).catch(() => undefined);
    return moved;
  }

  /**
   * The event types some consumer wants now, as the take script's ARGV: '*' when any type may be wanted (a consumer
   * that does not say, or cannot say now, or one announced by another process: its wishes are not known here).
   */
  private async interest(announced: readonly string[]): Promise<readonly string[]> {
    if (announced.some((name) => !this.consumers.get(name))) return ['*'];
    const types = new Set<string>();
    const interests = await Promise.all(
      this.consumers.all().map((consumer) =>
        Promise.resolve()
          .then(() => consumer.interest())
          .catch(() => null),
      ),
    );
    for (const wants of interests) {
      if (wants === null) return ['*'];
      for (const type of wants) types.add(type);
    }
    return [...types];
  }

  private warn(streams: string, error: Error): void {
    this.logger.warn(`outbox ${streams}: entries stay for the next pass: ${error.message}`);
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
