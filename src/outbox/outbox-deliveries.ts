import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Job, JobsOptions } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { bullConnection } from '../redis/bull-connection.js';
import type { BullConnection } from '../redis/bull-connection.js';
import { keys } from '../redis/keys.js';
import { OutboxConsumers } from './outbox-consumer.js';
import type { DeliveryResult } from './outbox-consumer.js';
import type { OutboxEvent } from './outbox.codec.js';

const QUEUE = 'outbox';

/** One delivery job: an event for one consumer (and one of its targets). */
export interface DeliveryJob {
  readonly consumer: string;
  readonly target: string;
  readonly event: OutboxEvent;
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
 * The job id of a delivery: from consumer, target and event id, so a second hand-over of the same event (a relay that
 * died before trimming, two relays at once) is ignored by BullMQ as a duplicate. BullMQ refuses ':' in custom ids.
 */
export function deliveryJobId(job: DeliveryJob, suffix = ''): string {
  return `${job.consumer}.${job.target}.${job.event.id}${suffix}`.replaceAll(':', '_');
}

/**
 * Delivery jobs in BullMQ, one queue for every consumer. A job is retried while it fails for up to
 * OUTBOX_RETRY_FOR_MS after its hand-over (exponential backoff with jitter, or the receiver's Retry-After), then
 * given up (OutboxConsumer.gaveUp); a `final` result ends it at once. Completed jobs are kept for a day, which is the
 * window in which a repeated hand-over is recognised as one (a relay re-hands over only entries it could not trim,
 * seconds later).
 */
@Injectable()
export class OutboxDeliveries implements OnApplicationShutdown {
  private readonly logger = new Logger('OutboxDeliveries');
  private queue: Queue<DeliveryJob> | undefined;
  private worker: Worker<DeliveryJob> | undefined;
  private connection: BullConnection | undefined;
  private workerConnection: BullConnection | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly consumers: OutboxConsumers,
  ) {}

  /** Adds the jobs (ignoring ones that exist); rejects when BullMQ could not store them (the relay then keeps them). */
  async handOver(jobs: readonly DeliveryJob[], suffix = ''): Promise<void> {
    if (jobs.length === 0) return;
    await this.open().addBulk(
      jobs.map((data) => ({
        name: data.consumer,
        data,
        opts: { ...this.jobOptions(), jobId: deliveryJobId(data, suffix) },
      })),
    );
  }

  /** Runs delivery jobs in this process (where the relay runs). */
  start(): void {
    if (this.worker) return;
    this.workerConnection = bullConnection(this.config);
    this.worker = new Worker<DeliveryJob>(QUEUE, (job) => this.run(job), {
      connection: this.workerConnection.connection,
      prefix: this.config.redisKeyPrefix + keys.jobs(),
      concurrency: 20,
      settings: {
        backoffStrategy: (_attempts: number, _type?: string, error?: Error) =>
          error instanceof RetryLater ? error.delayMs : this.config.outboxRetryBaseMs,
      },
    });
    this.worker.on('error', (error: Error) => this.logger.debug(`worker: ${error.message}`));
  }

  private jobOptions(): JobsOptions {
    return {
      // The real limit is time (OUTBOX_RETRY_FOR_MS, checked in run); attempts only has to outlast it.
      attempts: 1_000_000,
      backoff: { type: 'outbox' },
      removeOnComplete: { age: 86_400, count: 100_000 },
      removeOnFail: { age: 7 * 86_400, count: 100_000 },
    };
  }

  private async run(job: Job<DeliveryJob>): Promise<void> {
    const { consumer: name, target, event } = job.data;
    const consumer = this.consumers.get(name);
    if (!consumer) throw new RetryLater(`no consumer ${name} in this process`, this.config.outboxRetryBaseMs);
    const attempt = { number: job.attemptsMade + 1, target, since: job.timestamp };
    const result: DeliveryResult = await consumer
      .deliver(event, attempt)
      .catch((error: Error) => ({ status: 'retry', reason: error.message }) as const);
    if (result.status === 'done') return;
    if (result.status === 'final') throw new UnrecoverableError(result.reason);
    const delay =
      result.retryAfterMs ??
      retryDelay(attempt.number, this.config.outboxRetryBaseMs, this.config.outboxRetryMaxDelayMs);
    if (Date.now() + delay - attempt.since > this.config.outboxRetryForMs) {
      await consumer.gaveUp(event, attempt, result.reason);
      throw new UnrecoverableError(`gave up after ${attempt.number} attempts: ${result.reason}`);
    }
    throw new RetryLater(result.reason, Math.max(0, delay));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    await this.workerConnection?.close();
    await this.connection?.close();
  }

  private open(): Queue<DeliveryJob> {
    if (!this.queue) {
      this.connection = bullConnection(this.config);
      this.queue = new Queue<DeliveryJob>(QUEUE, {
        connection: this.connection.connection,
        prefix: this.config.redisKeyPrefix + keys.jobs(),
      });
      this.queue.on('error', (error: Error) => this.logger.debug(`queue: ${error.message}`));
    }
    return this.queue;
  }
}
