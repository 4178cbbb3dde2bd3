import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Worker } from 'bullmq';
import type { Queue } from 'bullmq';
import { bullConnection } from '../../src/redis/bull-connection.js';
import { keys } from '../../src/redis/keys.js';
import { WorkerModule } from '../../src/worker.module.js';
import { eventually } from '../support/eventually.js';
import { bookingBody } from '../support/factories.js';
import { reminderQueue } from '../support/reminder-queue.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

/**
 * A booking reminder job that fires after its booking changed is dropped, not sent: the worker checks the booking
 * first (it exists, and its reminder is due when the job says). Such a job is what a removal that failed (best effort)
 * leaves behind, and what an update or delete that neither had nor has a reminder no longer asks BullMQ to remove.
 * The stale jobs here are put in the queue directly, due at once, as such a failure would have left them; each test
 * waits until BullMQ has completed them, and a current reminder due at once (the sentinel) must still arrive.
 */
describe('stale booking reminder jobs', () => {
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
  beforeEach(() => t.clock.set(Date.now()));

  const hour = 3_600_000;
  const create = async (who: Account, startsInMs: number, reminderMinutesBefore: number | null) => {
    const start = Date.now() + startsInMs;
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(who.auth)
      .send({
        type: 'show',
        title: `Show ${randomUUID().slice(0, 6)}`,
        startTime: new Date(start).toISOString(),
        endTime: new Date(start + hour).toISOString(),
        reminderMinutesBefore,
      });
    expect(res.status).toBe(201);
    return res.body as { id: string; startTime: string; version: number; reminderMinutesBefore: number | null };
  };
  const patch = async (who: Account, id: string, version: number, body: object) =>
    t.http().patch(`/v1/bookings/${id}`).set(who.auth).set('If-Match', `"${version}"`).send(body).expect(200);

  /** A booking reminder job as BullMQ would still hold it for `version` of the booking, due at once. */
  const staleJob = async (who: Account, bookingId: string, startTime: number, minutes: number, version: number) => {
    const runAt = startTime - minutes * 60_000;
    const id = `booking-${bookingId}`;
    await queue.remove(id);
    const data = {
      id,
      userId: who.id,
      runAt,
      type: 'booking.reminder',
      title: 'stale',
      data: { bookingId, startTime: new Date(startTime).toISOString(), version },
    };
    return queue.add('booking.reminder', data, { jobId: id, removeOnComplete: 1000, removeOnFail: 1000 });
  };
  const completed = async (jobId: string) =>
    eventually(async () => expect(await queue.getJobState(jobId)).toBe('completed'), 20_000);
  const reminded = async (who: Account) =>
    ((await t.http().get('/v1/notifications?limit=100').set(who.auth)).body.items as { data: { bookingId: string } }[])
      .map((n) => n.data.bookingId)
      .sort();

  it('drops the job of a booking deleted, or whose reminder was turned off, since', async () => {
    const user = await t.register();
    const deleted = await create(user, 24 * hour, null);
    const off = await create(user, 24 * hour, 30);
    await patch(user, off.id, 1, { reminderMinutesBefore: null });
    await t.http().delete(`/v1/bookings/${deleted.id}`).set(user.auth).expect(204);
    const start = (b: { startTime: string }) => Date.parse(b.startTime);
    await staleJob(user, deleted.id, start(deleted), 30, 1);
    await staleJob(user, off.id, start(off), 30, 1);
    // The sentinel: a current reminder, due at once (its lead time is longer than the time left).
    const sentinel = await create(user, hour, 120);
    await completed(`booking-${deleted.id}`);
    await completed(`booking-${off.id}`);
    await eventually(async () => expect(await reminded(user)).toContain(sentinel.id), 20_000);
    expect(await reminded(user)).toEqual([sentinel.id]);
  });

  it('moves or removes the job only when the booking had or has a reminder', async () => {
    const user = await t.register();
    const cleared = await create(user, 24 * hour, 30);
    const deleted = await create(user, 24 * hour, 30);
    const none = await create(user, 24 * hour, null);
    expect(await queue.getJob(`booking-${cleared.id}`)).toBeDefined();
    await patch(user, cleared.id, 1, { reminderMinutesBefore: null });
    await t.http().delete(`/v1/bookings/${deleted.id}`).set(user.auth).expect(204);
    expect(await queue.getJob(`booking-${cleared.id}`)).toBeUndefined();
    expect(await queue.getJob(`booking-${deleted.id}`)).toBeUndefined();
    // A job the booking has no reminder for (as a failed removal leaves it), not due for a day: an edit and a delete
    // of the booking, which had no reminder before or after, leave it to the check when it fires.
    await queue.add(
      'booking.reminder',
      { id: `booking-${none.id}` },
      { jobId: `booking-${none.id}`, delay: 86_400_000 },
    );
    await patch(user, none.id, 1, { title: 'Renamed' });
    await t.http().delete(`/v1/bookings/${none.id}`).set(user.auth).expect(204);
    expect(await queue.getJob(`booking-${none.id}`)).toBeDefined();
    await queue.remove(`booking-${none.id}`);
  });

  it('replaces the job of an older version due at another time by the one the booking wants', async () => {
    const user = await t.register();
    const moved = await create(user, 24 * hour, 30);
    const start = Date.parse(moved.startTime);
    await patch(user, moved.id, 1, { reminderMinutesBefore: 60 });
    // Version 1's job (30 minutes before), as if moving it to version 2's had failed.
    await staleJob(user, moved.id, start, 30, 1);
    const moved2 = await create(user, 24 * hour, 30);
    const start2 = Date.parse(moved2.startTime);
    await patch(user, moved2.id, 1, { title: 'Renamed' });
    // Version 1's job of a booking whose reminder time did not change (only the title did): still its reminder.
    await staleJob(user, moved2.id, start2, 30, 1);
    await completed(`booking-${moved.id}`);
    await eventually(async () => expect(await reminded(user)).toContain(moved2.id), 20_000);
    expect(await reminded(user)).toEqual([moved2.id]);
    // The stale job took the place of version 2's (a lost move): the reminder version 2 wants, 60 minutes before,
    // is scheduled beside it, worded from the booking as it is.
    const wanted = await queue.getJob(`booking-${moved.id}@${start - hour}`);
    expect(wanted?.data).toMatchObject({ id: `booking-${moved.id}`, runAt: start - hour, data: { version: 2 } });
    expect(await wanted?.getState()).toBe('delayed');
    await wanted?.remove();
  });

  it('sends the reminder a booking wants at once when a lost move left only a job for another time', async () => {
    const user = await t.register();
    const booking = await create(user, 24 * hour, 30);
    const start = Date.parse(booking.startTime);
    // Two updates raced and the job left is for 120 minutes before (version 1's, say), in place of the booking's own
    // (30 minutes before). By the time it fires, the wanted time has passed too: it is sent then, not lost.
    t.clock.set(start - 29 * 60_000);
    await staleJob(user, booking.id, start, 120, 1);
    await completed(`booking-${booking.id}`);
    await eventually(async () => expect(await reminded(user)).toEqual([booking.id]), 20_000);
  });

  it('does not send a reminder whose time has passed once the booking has started', async () => {
    const user = await t.register();
    const booking = await create(user, 2 * hour, 30);
    const start = Date.parse(booking.startTime);
    // As above, but the job fires after the booking began: a reminder then would be wrong, not late.
    t.clock.set(start + 60_000);
    await staleJob(user, booking.id, start, 120, 1);
    await completed(`booking-${booking.id}`);
    // The job's run has ended (completed), so whatever it would have sent is in the inbox by now.
    expect(await reminded(user)).toEqual([]);
  });
});

/**
 * Moving a reminder whose job is running right now: BullMQ can neither remove a locked job nor add another under its
 * id (a duplicate is ignored), so the move goes beside it. The running job is held by a worker of the test's own.
 */
describe('moving a reminder while its job runs', () => {
  let t: TestApp;
  let reminders: ReturnType<typeof reminderQueue>;

  beforeAll(async () => {
    t = await TestApp.start({ reminderWorker: 'off', accessTokenTtlSeconds: 86_400 });
    reminders = reminderQueue(t.config);
  });
  afterAll(async () => {
    await reminders.close();
    await t.close();
  });

  it('schedules the new time beside the running job', async () => {
    const user = await t.register();
    const hour = 3_600_000;
    const start = Date.now() + hour;
    // Due at once (120 minutes before a start one hour away).
    const created = await t
      .http()
      .post('/v1/bookings')
      .set(user.auth)
      .send(
        bookingBody(start, {
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + hour).toISOString(),
          reminderMinutesBefore: 120,
        }),
      )
      .expect(201);
    const id = created.body.id as string;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken = () => {};
    const running = new Promise<void>((resolve) => (taken = resolve));
    const connection = bullConnection(t.config);
    const worker = new Worker(
      'reminders',
      async () => {
        taken();
        await held;
      },
      { connection: connection.connection, prefix: t.config.redisKeyPrefix + keys.jobs() },
    );
    await running;
    expect(await reminders.queue.getJobState(`booking-${id}`)).toBe('active');
    // Now the booking's reminder moves to 10 minutes before: in the future, so it must be queued.
    await t
      .http()
      .patch(`/v1/bookings/${id}`)
      .set(user.auth)
      .set('If-Match', '"1"')
      .send({ reminderMinutesBefore: 10 })
      .expect(200);
    const moved = await reminders.queue.getJob(`booking-${id}@${start - 10 * 60_000}`);
    expect(moved?.data).toMatchObject({ id: `booking-${id}`, runAt: start - 10 * 60_000 });
    expect(await moved?.getState()).toBe('delayed');
    release();
    await worker.close();
    await connection.close();
    await moved?.remove();
  });
});

/** The same check where `npm run worker` runs reminders: WorkerModule, next to an API that runs none. */
describe('stale booking reminder jobs, in the worker process', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let reminders: ReturnType<typeof reminderQueue>;
  let queue: Queue;

  beforeAll(async () => {
    t = await TestApp.start({ reminderWorker: 'off', accessTokenTtlSeconds: 86_400 });
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(t.config.with({ reminderWorker: 'inline' })),
      { logger: false },
    );
    reminders = reminderQueue(t.config);
    queue = reminders.queue;
  });
  afterAll(async () => {
    await reminders.close();
    await worker.close();
    await t.close();
  });

  it('drops the job of a deleted booking and sends the current one', async () => {
    t.clock.set(Date.now());
    const user = await t.register();
    const create = (startsInMs: number, reminderMinutesBefore: number | null) =>
      t
        .http()
        .post('/v1/bookings')
        .set(user.auth)
        .send({
          type: 'show',
          title: 'Show',
          startTime: new Date(Date.now() + startsInMs).toISOString(),
          endTime: new Date(Date.now() + startsInMs + 3_600_000).toISOString(),
          reminderMinutesBefore,
        })
        .expect(201);
    const deleted = (await create(86_400_000, null)).body as { id: string; startTime: string };
    await t.http().delete(`/v1/bookings/${deleted.id}`).set(user.auth).expect(204);
    const id = `booking-${deleted.id}`;
    const runAt = Date.parse(deleted.startTime) - 30 * 60_000;
    const data = { bookingId: deleted.id, startTime: deleted.startTime, version: 1 };
    await queue.add(
      'booking.reminder',
      { id, userId: user.id, runAt, type: 'booking.reminder', title: 'stale', data },
      { jobId: id, removeOnComplete: 1000 },
    );
    const sentinel = (await create(3_600_000, 120)).body as { id: string };
    await eventually(async () => expect(await queue.getJobState(id)).toBe('completed'), 20_000);
    const reminded = async () =>
      ((await t.http().get('/v1/notifications').set(user.auth)).body.items as { data: { bookingId: string } }[]).map(
        (n) => n.data.bookingId,
      );
    await eventually(async () => expect(await reminded()).toContain(sentinel.id), 20_000);
    expect(await reminded()).toEqual([sentinel.id]);
  });
});
