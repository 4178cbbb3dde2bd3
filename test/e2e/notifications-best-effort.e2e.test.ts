import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { keys } from '../../src/redis/keys.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { connectLive } from '../support/live.js';

/**
 * The side effects of a change (its reminder job, its live message) are best effort, decided in one place (the
 * Notifier): the change is stored first, so when the reminder queue fails the request still succeeds, the live
 * message still goes out, and a warn line names the event and its ids. The queue is broken in the real Redis, by
 * giving BullMQ's own keys a type its scripts cannot use, so its scripts fail as they would on a real fault.
 */
describe('best-effort side effects of domain events', () => {
  let t: TestApp;
  let alice: Account;
  const queueKey = (suffix: string) => `${keys.jobs()}:reminders:${suffix}`;
  const spyOnWarn = () => jest.spyOn(Logger.prototype, 'warn');
  let warn: ReturnType<typeof spyOnWarn>;
  const warnings = () => warn.mock.calls.map((args) => String(args[0]));

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 86_400 });
    alice = await t.register();
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.clock.set(Date.now());
    warn = spyOnWarn();
  });
  afterEach(() => warn.mockRestore());

  const hour = 3_600_000;
  const create = (reminderMinutesBefore: number | null) =>
    t
      .http()
      .post('/v1/bookings')
      .set(alice.auth)
      .send({
        type: 'show',
        title: `Show ${randomUUID().slice(0, 6)}`,
        startTime: new Date(Date.now() + 2 * hour).toISOString(),
        endTime: new Date(Date.now() + 3 * hour).toISOString(),
        reminderMinutesBefore,
      });

  it('stores a booking whose reminder cannot be queued, tells the owner, and logs the failure at warn', async () => {
    // BullMQ numbers every job it adds with INCR on this key: a value that is no integer makes adding fail.
    await t.redis.set(queueKey('id'), 'not-a-counter');
    const socket = await connectLive(t.url, alice.token);
    try {
      const res = await create(30);
      expect(res.status).toBe(201);
      const id = (res.body as { id: string }).id;
      await t.http().get(`/v1/bookings/${id}`).set(alice.auth).expect(200);
      const live = await socket.next((m) => m.type === 'booking.created');
      expect(live).toMatchObject({ booking: { id, reminderMinutesBefore: 30 } });
      expect(warnings()).toEqual([expect.stringMatching(new RegExp(`^booking\\.created: reminder failed .*${id}`))]);
    } finally {
      socket.close();
      await t.redis.del(queueKey('id'));
    }
  });

  it('deletes a booking whose reminder cannot be removed, and logs the failure at warn', async () => {
    const res = await create(30);
    expect(res.status).toBe(201);
    const id = (res.body as { id: string }).id;
    // The job's hash replaced by a string: BullMQ's removal script fails on it (WRONGTYPE).
    await t.redis.del(queueKey(`booking-${id}`));
    await t.redis.set(queueKey(`booking-${id}`), 'not-a-job');
    try {
      await t.http().delete(`/v1/bookings/${id}`).set(alice.auth).expect(204);
      await t.http().get(`/v1/bookings/${id}`).set(alice.auth).expect(404);
      expect(warnings()).toEqual([expect.stringMatching(new RegExp(`^booking\\.deleted: reminder failed .*${id}`))]);
    } finally {
      await t.redis.del(queueKey(`booking-${id}`));
    }
  });
});
