import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Job, JobsOptions } from 'bullmq';
import { Periodic } from '../common/periodic.js';
import { AppConfig } from '../config/app-config.js';
import { bullConnection } from '../redis/bull-connection.js';
import type { BullConnection } from '../redis/bull-connection.js';
import { keys } from '../redis/keys.js';
import { RedisClient } from '../redis/redis-client.js';
import { OutboxConsumers } from './outbox-consumer.js';
import type { DeliveryResult, OutboxConsumer } from './outbox-consumer.js';
import type { OutboxEvent } from './outbox.codec.js';

/** How often a delivering process renews its consumers' announcement (it holds for OUTBOX_RETRY_FOR_MS). */
const ANNOUNCE_EVERY_MS = 30_000;

/**
 * How often BullMQ may find a job stalled (its worker died or blocked its event loop past the lock) and run it again
 * before failing it. BullMQ's default, 1, fails a job that stalls twice without `gaveUp`: lost. Delivery is at least
 * once anyway, and the real limit is time (OUTBOX_RETRY_FOR_MS), so stalls are not what ends a delivery.
 */
export const MAX_STALLED_COUNT = 1_000;

/**
 * One delivery job: an event for one consumer and one of its targets; or, with `route`, an event for a consumer the
 * relaying process does not run (its module is not loaded there): the process that runs it decides whether it wants
 * the event and splits it into its targets (OutboxDeliveries.run).
 */
export interface DeliveryJob {
  readonly consumer: string;
  readonly target: string;
  readonly event: OutboxEvent;
  readonly route?: true;
}

/** A failed attempt that is to be tried again after `delayMs` (read by the worker's backoff strategy). */
class RetryLater extends Error {
  constructor(
    reason: string,
    readonly delayMs: number,
  ) {
    super(reason);
  }
}

/**
 * Exponential backoff with "equal jitter": half the doubled delay fixed, the other half random, so receivers that
 * came back are not hit by every delivery at once. Attempt 1 failed → about `base`, doubling up to `max`.
 */
export function retryDelay(failedAttempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failedAttempt - 1, 40));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * When to try again after a failed attempt, or null to give up: the receiver's Retry-After when it asks for longer
 * than the backoff (a Retry-After of 0 or a past date does not make retries immediate), never past the retry window
 * (a last attempt at its end), null once the window is over.
 */
export function nextDelay(backoffMs: number, retryAfterMs: number | undefined, windowLeftMs: number): number | null {
  if (windowLeftMs <= 0) return null;
  return Math.min(Math.max(retryAfterMs ?? 0, backoffMs), windowLeftMs);
}

/**
 * The job id of a delivery: from consumer, target and event id, so a second hand-over of the same event (a relay that
 * died before trimming, two relays at once) is ignored by BullMQ as a duplicate. A routing job has target '', the id
 * a relay running the consumer gives a one-target consumer's job, so the two relays' jobs are one; a many-target
 * consumer's routing job hands over the same ids as a relay running it would. BullMQ refuses ':' in custom ids.
 */
export function deliveryJobId(job: DeliveryJob, suffix = ''): string {
  return `${job.consumer}.${job.target}.${job.event.id}${suffix}`.replaceAll(':', '_');
}

/** One queue per consumer, so that only a process that runs the consumer ever takes its jobs. */
export const deliveryQueueName = (consumer: string) => `outbox-${consumer}`;

/**
 * Delivery jobs in BullMQ, a queue per consumer. A process that runs the delivery workers (OUTBOX_RELAY) works the
 * queues of the consumers registered in it and announces them in `{outbox}:consumers` (renewed every 30 s, holding
 * for OUTBOX_RETRY_FOR_MS); relays hand over jobs for every announced consumer, so a process whose configuration
 * leaves a consumer out (no SMTP_URL: no mail) neither drops that consumer's events nor takes its jobs. A job is
 * retried while it fails for up to OUTBOX_RETRY_FOR_MS after its hand-over (exponential backoff with jitter, or the
 * receiver's longer Retry-After), then given up (OutboxConsumer.gaveUp); a `final` result ends it at once. Times here
 * are BullMQ's (wall clock: job.timestamp), not the injected Clock. Completed jobs are kept for a day (by age only),
 * which is the window in which a repeated hand-over is recognised as one (a relay re-hands over only entries it could
 * not trim, seconds later).
 */
@Injectable()
export class OutboxDeliveries implements OnApplicationShutdown {
  private readonly logger = new Logger('OutboxDeliveries');
  private readonly queues = new Map<string, Queue<DeliveryJob>>();
  private readonly workers = new Map<string, { worker: Worker<DeliveryJob>; connection: BullConnection }>();
  private readonly announce = new Periodic('OutboxConsumersAnnounce', () => this.announceConsumers());
  private connection: BullConnection | undefined;
  private started = false;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly consumers: OutboxConsumers,
  ) {
    consumers.onRegister((consumer) => {
      if (this.started) this.work(consumer);
    });
  }

  /** Adds the jobs (ignoring ones that exist); rejects when BullMQ could not store them (the relay then keeps them). */
  async handOver(jobs: readonly DeliveryJob[], suffix = ''): Promise<void> {
    const byConsumer = new Map<string, DeliveryJob[]>();
    for (const job of jobs) byConsumer.set(job.consumer, [...(byConsumer.get(job.consumer) ?? []), job]);
    await Promise.all(
      [...byConsumer].map(([consumer, list]) =>
        this.queue(consumer).addBulk(
          list.map((data) => ({
            name: consumer,
            data,
            opts: { ...this.jobOptions(), jobId: deliveryJobId(data, suffix) },
          })),
        ),
      ),
    );
  }

  /** The consumers some process currently delivers for (announced and not expired). */
  async announced(): Promise<string[]> {
    return this.redis.zrangebyscore(keys.outboxConsumers(), Date.now(), '+inf');
  }

  /** Runs the delivery jobs of this process's consumers here, and announces them. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const consumer of this.consumers.all()) this.work(consumer);
    this.announce.start(ANNOUNCE_EVERY_MS);
    await this.announce.runOnce();
  }

  private work(consumer: OutboxConsumer): void {
    if (this.workers.has(consumer.name)) return;
    const connection = bullConnection(this.config);
    const worker = new Worker<DeliveryJob>(deliveryQueueName(consumer.name), (job) => this.run(consumer, job), {
      connection: connection.connection,
      prefix: this.config.redisKeyPrefix + keys.jobs(),
      concurrency: 20,
      maxStalledCount: MAX_STALLED_COUNT,
      settings: {
        backoffStrategy: (_attempts: number, _type?: string, error?: Error) =>
          error instanceof RetryLater ? error.delayMs : this.config.outboxRetryBaseMs,
      },
    });
    worker.on('error', (error: Error) => this.logger.debug(`worker ${consumer.name}: ${error.message}`));
    this.workers.set(consumer.name, { worker, connection });
    void this.announceConsumers().catch(() => undefined);
  }

  private async announceConsumers(): Promise<void> {
    const now = Date.now();
    const names = [...this.workers.keys()];
    if (names.length === 0) return;
    const until = now + this.config.outboxRetryForMs;
    await this.redis.zadd(keys.outboxConsumers(), ...names.flatMap((name) => [until, name]));
    await this.redis.zremrangebyscore(keys.outboxConsumers(), '-inf', now);
  }

  private jobOptions(): JobsOptions {
    return {
      // The real limit is time (OUTBOX_RETRY_FOR_MS, checked in run); attempts only has to outlast it.
      attempts: 1_000_000,
      backoff: { type: 'outbox' },
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 7 * 86_400 },
    };
  }

  private async run(consumer: OutboxConsumer, job: Job<DeliveryJob>): Promise<void> {
    const { target, event } = job.data;
    if (job.data.route) {
      // Handed over by a relay that does not run this consumer: split here, where its code is.
      if (!consumer.wants(event)) return;
      const targets = await consumer.targets(event);
      if (!(targets.length === 1 && targets[0] === '')) {
        await this.handOver(targets.map((t) => ({ consumer: consumer.name, target: t, event })));
        return;
      }
    }
    const attempt = { number: job.attemptsMade + 1, target, since: job.timestamp };
    if (attempt.number === 1 && Date.now() - attempt.since > this.config.outboxRetryForMs) {
      // Waited out the whole window for a process running its consumer (one announced and then gone): stale news.
      await consumer.gaveUp(event, attempt, 'no process ran it within OUTBOX_RETRY_FOR_MS');
      throw new UnrecoverableError('not picked up within OUTBOX_RETRY_FOR_MS');
    }
    const result: DeliveryResult = await consumer
      .deliver(event, attempt)
      .catch((error: Error) => ({ status: 'retry', reason: error.message }) as const);
    if (result.status === 'done') return;
    if (result.status === 'final') throw new UnrecoverableError(result.reason);
    const backoff = retryDelay(attempt.number, this.config.outboxRetryBaseMs, this.config.outboxRetryMaxDelayMs);
    const delay = nextDelay(backoff, result.retryAfterMs, attempt.since + this.config.outboxRetryForMs - Date.now());
    if (delay === null) {
      await consumer.gaveUp(event, attempt, result.reason);
      throw new UnrecoverableError(`gave up after ${attempt.number} attempts: ${result.reason}`);
    }
    throw new RetryLater(result.reason, delay);
  }

  async onApplicationShutdown(): Promise<void> {
    this.announce.stop();
    for (const { worker } of this.workers.values()) await worker.close();
    for (const queue of this.queues.values()) await queue.close();
    for (const { connection } of this.workers.values()) await connection.close();
    await this.connection?.close();
  }

  private queue(consumer: string): Queue<DeliveryJob> {
    let queue = this.queues.get(consumer);
    if (!queue) {
      this.connection ??= bullConnection(this.config);
      queue = new Queue<DeliveryJob>(deliveryQueueName(consumer), {
        connection: this.connection.connection,
        prefix: this.config.redisKeyPrefix + keys.jobs(),
      });
      queue.on('error', (error: Error) => this.logger.debug(`queue ${consumer}: ${error.message}`));
      this.queues.set(consumer, queue);
    }
    return queue;
  }
}
