import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { ROOT, builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { reminderQueue } from '../support/reminder-queue.js';
import { killService, spawnService } from '../support/service.js';
import { TestApp, testConfig, testRedisUrl } from '../support/test-app.js';

/** The value of one sample of a Prometheus scrape (undefined: no such sample). */
function sample(scrape: string, name: string): number | undefined {
  const line = scrape.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** Plants two due reminder jobs: one that runs (a type with no check, for a user of nobody), one that cannot. */
async function plantJobs(prefix: string): Promise<void> {
  const queue = reminderQueue(testConfig({ redisUrl: testRedisUrl(), redisKeyPrefix: prefix }));
  try {
    const reminder = {
      id: `metrics-${randomUUID()}`,
      userId: randomUUID(),
      runAt: Date.now(),
      type: 'metrics-test',
      title: 'A reminder',
      data: {},
    };
    await queue.queue.add(reminder.type, reminder, { jobId: reminder.id, attempts: 1 });
    // No reminder in it: the run throws, and with one attempt the job gives up at once.
    await queue.queue.add('broken', null, { jobId: `broken-${randomUUID()}`, attempts: 1 });
  } finally {
    await queue.close();
  }
}

/** Issue 18, item 3: the reminder worker's /metrics, in its own process and in the API that runs it inline. */
describe('reminder worker metrics', () => {
  const services: ChildProcess[] = [];
  afterAll(() => Promise.all(services.map(killService)));
  beforeAll(() => builtMain(), 180_000);

  it('the worker process counts completed and failed runs, times them, and shows the queue depths', async () => {
    const prefix = `worker-metrics:${randomUUID().slice(0, 8)}:`;
    const port = await freePort();
    let output = '';
    services.push(
      spawnService(
        join(ROOT, 'dist', 'worker.js'),
        { WORKER_PORT: String(port), LOG_LEVEL: 'warn', REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix },
        (chunk) => (output += chunk),
      ),
    );
    const http = () => request(`http://127.0.0.1:${port}`);
    await eventually(async () => expect((await http().get('/health/ready')).status).toBe(200), 60_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\nworker output:\n${output}`);
      },
    );
    const before = (await http().get('/metrics')).text;
    expect(sample(before, 'booking_reminder_jobs_completed_total')).toBe(0);
    expect(sample(before, 'booking_reminder_jobs_failed_total')).toBe(0);

    await plantJobs(prefix);
    await eventually(async () => {
      const scrape = (await http().get('/metrics')).text;
      expect({
        completed: sample(scrape, 'booking_reminder_jobs_completed_total'),
        failed: sample(scrape, 'booking_reminder_jobs_failed_total'),
        completedRuns: sample(scrape, 'booking_reminder_job_duration_seconds_count{outcome="completed"}'),
        failedRuns: sample(scrape, 'booking_reminder_job_duration_seconds_count{outcome="failed"}'),
        gaveUp: sample(scrape, 'booking_reminder_jobs{state="failed"}'),
        waiting: sample(scrape, 'booking_reminder_jobs{state="waiting"}'),
        active: sample(scrape, 'booking_reminder_jobs{state="active"}'),
      }).toEqual({ completed: 1, failed: 1, completedRuns: 1, failedRuns: 1, gaveUp: 1, waiting: 0, active: 0 });
    }, 30_000);
  }, 120_000);

  it("the API's /metrics shows the queue depths and runs when it runs the worker inline, and no depths when not", async () => {
    const prefix = `api-metrics:${randomUUID().slice(0, 8)}:`;
    const inline = await TestApp.start({ redisUrl: testRedisUrl(), redisKeyPrefix: prefix, reminderWorker: 'inline' });
    try {
      await plantJobs(prefix);
      await eventually(async () => {
        const scrape = (await inline.http().get('/metrics')).text;
        expect({
          completed: sample(scrape, 'booking_reminder_jobs_completed_total'),
          failed: sample(scrape, 'booking_reminder_jobs_failed_total'),
          gaveUp: sample(scrape, 'booking_reminder_jobs{state="failed"}'),
          delayed: sample(scrape, 'booking_reminder_jobs{state="delayed"}'),
        }).toEqual({ completed: 1, failed: 1, gaveUp: 1, delayed: 0 });
      }, 30_000);
    } finally {
      await inline.close();
    }
    // An API instance that leaves reminders to a worker process does not report the queue a second time.
    const off = await TestApp.start({ redisUrl: testRedisUrl(), redisKeyPrefix: prefix, reminderWorker: 'off' });
    try {
      const scrape = (await off.http().get('/metrics')).text;
      expect(scrape).toContain('booking_http_request_duration_seconds');
      expect(scrape).not.toMatch(/^booking_reminder_jobs\{/m);
    } finally {
      await off.close();
    }
  }, 120_000);
});
