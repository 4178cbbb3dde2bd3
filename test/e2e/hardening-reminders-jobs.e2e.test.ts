import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { eventually } from '../support/eventually.js';
import { reminderQueue } from '../support/reminder-queue.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

/**
 * Reminder jobs across a rolling deploy: a job's `title` stays plain text (what a worker of an earlier release shows),
 * and this release's worker runs jobs of both shapes.
 */
describe('reminder jobs of old and new shape', () => {
  let t: TestApp;
  let reminders: ReturnType<typeof reminderQueue>;
  let queue: Queue;

  beforeAll(async () => {
    t = await TestApp.start({ reminderWorker: 'inline', accessTokenTtlSeconds: 86_400 });
    reminders = reminderQueue(t.config);
    queue = reminders.queue;
  });
  afterAll(async () => {
    await reminders.close();
    await t.close();
  });

  const inboxTitles = async (who: Account) =>
    ((await t.http().get('/v1/notifications?limit=100').set(who.auth)).body.items as { title: string }[])
      .map((n) => n.title)
      .sort();

  it('stores a plain-text title worded for the run time, and the parts beside it', async () => {
    const now = Date.now();
    t.clock.set(now);
    const user = await t.register();
    const title = `Show ${randomUUID().slice(0, 6)}`;
    const start = now + 24 * 3_600_000;
    const created = await t
      .http()
      .post('/v1/bookings')
      .set(user.auth)
      .send({
        type: 'show',
        title,
        startTime: new Date(start).toISOString(),
        endTime: new Date(start + 3_600_000).toISOString(),
        reminderMinutesBefore: 30,
      });
    expect(created.status).toBe(201);
    const job = await queue.getJob(`booking-${created.body.id}`);
    // What a worker of an earlier release shows as it is.
    expect(job?.data.title).toBe(`${title} starts in 30 minutes`);
    expect(job?.data.titleParts).toEqual({ subject: title, startsAt: start });
  });

  it('runs jobs without parts (earlier releases) and with them (this one)', async () => {
    const now = Date.now();
    t.clock.set(now);
    const user = await t.register();
    const job = (title: unknown, extra: object = {}) => {
      const id = `test-${randomUUID()}`;
      const data = { id, userId: user.id, runAt: now, type: 'booking.reminder', title, data: {}, ...extra };
      return queue.add('booking.reminder', data, { jobId: id });
    };
    const titleParts = { subject: 'Dinner', startsAt: now + 3 * 60_000 };
    await job('Lunch starts in 30 minutes');
    await job('Dinner starts in 30 minutes', { titleParts });
    // A job of the release that kept the parts in `title` itself.
    await job({ subject: 'Breakfast', startsAt: now + 60_000 });
    await eventually(async () => expect(await inboxTitles(user)).toHaveLength(3), 10_000);
    expect(await inboxTitles(user)).toEqual([
      'Breakfast starts in 1 minute',
      'Dinner starts in 3 minutes',
      'Lunch starts in 30 minutes',
    ]);
  });
});
