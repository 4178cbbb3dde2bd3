import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Clock } from '../common/clock.js';
import { toIso } from '../common/iso-date-time.js';
import { AppConfig } from '../config/app-config.js';
import { bullConnection } from '../redis/bull-connection.js';
import type { BullConnection } from '../redis/bull-connection.js';
import { keys } from '../redis/keys.js';
import { InboxRepository } from './inbox.repository.js';
import { LiveEvents } from './live-events.js';
import { ReminderMetrics } from './reminder-metrics.js';
import { ReminderChecks, Reminders, reminderTitle, startingOf } from './reminders.js';
import type { Reminder, ReminderCounts } from './reminders.js';

const QUEUE = 'reminders';

/** A UUID made from a stable name, so the same reminder run always yields the same notification id. */
export function notificationIdOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Reminder jobs in BullMQ (delayed jobs live in Redis, so they survive restarts), keyed by the reminder id. */
@Injectable()
export class BullReminders extends Reminders implements OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private queue: Queue | undefined;
  private connection: BullConnection | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  async schedule(reminder: Reminder): Promise<void> {
    const queue = this.open();
    const removed = await queue.remove(reminder.id);
    // Nothing removed: there was no job, or it is running (locked), or it completed in between. In the last two cases
    // a job with this id exists and BullMQ would ignore the add as a duplicate, losing the move; the new time goes
    // beside it instead (the running one fires once more; a check, ReminderChecks, drops it if no longer current).
    if (removed === 0 && (await queue.getJobState(reminder.id)) !== 'unknown') return this.scheduleAside(reminder);
    await this.add(reminder, reminder.id);
  }

  /** Rejects when the job could not be added (the worker's run then fails and BullMQ retries it). */
  async scheduleAside(reminder: Reminder): Promise<void> {
    await this.add(reminder, `${reminder.id}@${reminder.runAt}`);
  }

  /** The reminder as a delayed job under `jobId`, due at its runAt (at once when that has passed). */
  private async add(reminder: Reminder, jobId: string): Promise<void> {
    await this.open().add(reminder.type, reminder, {
      jobId,
      delay: Math.max(0, reminder.runAt - this.clock.now()),
      removeOnComplete: 1000,
      removeOnFail: 1000,
      attempts: 3,
    });
  }

  async cancel(reminderId: string): Promise<void> {
    await this.open().remove(reminderId);
  }

  async counts(): Promise<ReminderCounts> {
    const {
      waiting = 0,
      delayed = 0,
      active = 0,
      failed = 0,
    } = await this.open().getJobCounts('waiting', 'delayed', 'active', 'failed');
    return { waiting, delayed, active, failed };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close();
    await this.connection?.close();
  }

  private open(): Queue {
    if (!this.queue) {
      this.connection = bullConnection(this.config);
      this.queue = new Queue(QUEUE, {
        connection: this.connection.connection,
        prefix: this.config.redisKeyPrefix + keys.jobs(),
      });
      this.queue.on('error', (error: Error) => this.logger.debug(`queue: ${error.message}`));
    }
    return this.queue;
  }
}

/**
 * Runs due reminders that are still current (ReminderChecks): each becomes an inbox notification and a live message
 * to its user, exactly once even when BullMQ runs a job twice (a retry, a stalled job taken over by another worker):
 * the notification id is derived from the reminder, and the live message is sent only by the run that added it.
 */
@Injectable()
export class ReminderWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReminderWorker');
  private worker: Worker | undefined;
  private connection: BullConnection | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly inbox: InboxRepository,
    private readonly live: LiveEvents,
    private readonly clock: Clock,
    private readonly checks: ReminderChecks,
    private readonly reminders: Reminders,
    private readonly metrics: ReminderMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderWorker === 'inline') this.start();
  }

  /** True while this process's worker is taking jobs (a worker process is not ready otherwise). */
  get running(): boolean {
    return this.worker?.isRunning() ?? false;
  }

  start(): void {
    if (this.worker) return;
    this.connection = bullConnection(this.config);
    this.worker = new Worker(QUEUE, (job: Job<Reminder>) => this.timed(job.data), {
      connection: this.connection.connection,
      prefix: this.config.redisKeyPrefix + keys.jobs(),
      concurrency: 10,
    });
    this.worker.on('error', (error: Error) => this.logger.debug(`worker: ${error.message}`));
  }

  /** A run, counted and timed for /metrics (ReminderMetrics). */
  private async timed(job: Reminder): Promise<void> {
    const startedAt = performance.now();
    try {
      await this.run(job);
      this.metrics.observeRun('completed', (performance.now() - startedAt) / 1000);
    } catch (error) {
      this.metrics.observeRun('failed', (performance.now() - startedAt) / 1000);
      throw error;
    }
  }

  async run(job: Reminder): Promise<void> {
    // A job its subject no longer wants (a booking deleted or changed since, its removal failed or was not needed)
    // completes without a notification; one whose subject wants it at another time (a lost move) is replaced by that.
    const verdict = await this.checks.verdict(job);
    if (verdict === false) {
      this.logger.debug(`dropped ${job.id}@${job.runAt}: no longer current`);
      return;
    }
    if (verdict !== true && verdict.runAt > this.clock.now()) {
      this.logger.debug(`dropped ${job.id}@${job.runAt}: wanted at ${verdict.runAt}, scheduled`);
      await this.reminders.scheduleAside(verdict);
      return;
    }
    // Current, or wanted at a time already past (its own job lost): sent now.
    const reminder = verdict === true ? job : verdict;
    const id = notificationIdOf(`${reminder.id}@${reminder.runAt}`);
    const createdAt = this.clock.now();
    const title = reminderTitle(reminder, createdAt);
    // The outbox's `reminder.due` is appended by the same script, once (email sends reminders from it). `title` is
    // worded for now ("starts in 60 minutes"); a consumer that acts later (an email retried for hours) words its own
    // from `subject` and `startsAt`, which stay true.
    const starting = startingOf(reminder);
    const due = {
      ...reminder.data,
      notificationId: id,
      userId: reminder.userId,
      reminderType: reminder.type,
      title,
      ...(starting === null ? {} : { subject: starting.subject, startsAt: toIso(starting.startsAt) }),
      dueAt: toIso(reminder.runAt),
    };
    const added = await this.inbox.add(
      reminder.userId,
      { id, type: reminder.type, title, data: reminder.data, createdAt },
      { type: 'reminder.due', data: due },
    );
    if (added) {
      await this.live.toUser(reminder.userId, reminder.type, {
        notificationId: id,
        title,
        ...reminder.data,
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.connection?.close();
  }
}
