import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { Reminders } from './reminders.js';

/** Longest a scrape waits for the queue's counts (BullMQ's connection waits for Redis forever). */
const COUNTS_TIMEOUT_MS = 1000;

function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/** Seconds: a reminder run is a check, an inbox write and a publish, a few ms; a slow Redis shows in the upper ones. */
const RUN_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * The reminder queue's part of /metrics, in every process that runs the reminder worker (the API with
 * REMINDER_WORKER=inline, or `npm run worker` on its WORKER_PORT), so the depths are reported once per worker process
 * and not by API instances that leave reminders to a worker process:
 * - `booking_reminder_jobs{state}`: jobs waiting (due, not taken yet), delayed (not due), active and failed (gave up
 *   after their attempts), read from the queue at each scrape; no samples when the queue does not answer in time;
 * - `booking_reminder_jobs_completed_total` and `booking_reminder_jobs_failed_total`: runs of this process that
 *   completed or threw (a failed run is retried up to 3 attempts; the `failed` depth counts jobs that gave up);
 * - `booking_reminder_job_duration_seconds{outcome}`: how long each run took.
 */
@Injectable()
export class ReminderMetrics {
  private readonly completed: Counter;
  private readonly failed: Counter;
  private readonly duration: Histogram<'outcome'>;

  constructor(metrics: Metrics, reminders: Reminders, config: AppConfig) {
    const registers = [metrics.registry];
    if (config.reminderWorker === 'inline') {
      new Gauge({
        name: 'booking_reminder_jobs',
        help: 'Reminder jobs by state (waiting: due, not yet taken; delayed: not due; active; failed: gave up)',
        labelNames: ['state'],
        registers,
        async collect() {
          // Redis unreachable: no samples rather than stale ones, and the scrape still answers.
          this.reset();
          const counts = await within(reminders.counts(), COUNTS_TIMEOUT_MS);
          for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
        },
      });
    }
    this.completed = new Counter({
      name: 'booking_reminder_jobs_completed_total',
      help: 'Reminder job runs of this process that completed (sent, or dropped as no longer wanted)',
      registers,
    });
    this.failed = new Counter({
      name: 'booking_reminder_jobs_failed_total',
      help: 'Reminder job runs of this process that failed (retried until their attempts are used up)',
      registers,
    });
    this.duration = new Histogram({
      name: 'booking_reminder_job_duration_seconds',
      help: 'Processing time of a reminder job run, by outcome (completed or failed)',
      labelNames: ['outcome'],
      buckets: RUN_BUCKETS,
      registers,
    });
  }

  /** Records one run of a job: how it ended and how long it took. */
  observeRun(outcome: 'completed' | 'failed', seconds: number): void {
    (outcome === 'completed' ? this.completed : this.failed).inc();
    this.duration.observe({ outcome }, seconds);
  }
}
