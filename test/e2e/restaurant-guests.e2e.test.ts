import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { reminderQueue } from '../support/reminder-queue.js';
import { restaurantWithTables } from '../support/restaurants.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

/** A manager books for a walk-in or phone guest without an account (issue 18, item 6). */
describe('restaurant bookings for guests without an account', () => {
  let t: TestApp;
  let reminders: ReturnType<typeof reminderQueue>;
  let queue: Queue;
  let manager: Account;
  let otherManager: Account;
  let admin: Account;
  let alice: Account;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 365 * 86_400 });
    reminders = reminderQueue(t.config);
    queue = reminders.queue;
    t.clock.set(NOW);
    [manager, otherManager, admin, alice] = await Promise.all([
      t.register('manager'),
      t.register('manager'),
      t.register('admin'),
      t.register(),
    ]);
  });
  afterAll(async () => {
    await reminders.close();
    await t.close();
  });

  const restaurant = (tables: [string, number][]) => restaurantWithTables(t, manager, tables);
  const book = (who: { auth: Record<string, string> }, id: string, body: Record<string, unknown>) =>
    t.http().post(`/v1/restaurants/${id}/reservations`).set(who.auth).send(body);
  const guest = { guestName: 'Grace Hopper', guestPhone: '+44 (20) 7946-0958' };
  const listOf = async (who: Account, id: string, date: string) =>
    (await t.http().get(`/v1/restaurants/${id}/reservations?date=${date}`).set(who.auth)).body as {
      id: string;
      guestPhone: string | null;
    }[];

  it('books for a guest: the phone stored normalized, owned by the manager, listed with the rest', async () => {
    const r = await restaurant([['Monaco', 4]]);
    const res = await book(manager, r.id, { start: '2026-06-12T19:00:00+01:00', partySize: 2, ...guest });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      restaurantId: r.id,
      tableId: r.tables.Monaco,
      userId: manager.id,
      guestName: 'Grace Hopper',
      guestPhone: '+442079460958',
      partySize: 2,
      status: 'booked',
    });
    const own = await book(alice, r.id, { start: '2026-06-12T21:00:00+01:00', partySize: 2 });
    expect(own.status).toBe(201);
    expect(own.body.guestPhone).toBeNull();
    const listed = await listOf(manager, r.id, '2026-06-12');
    expect(listed.map((x) => [x.id, x.guestPhone])).toEqual([
      [res.body.id, '+442079460958'],
      [own.body.id, null],
    ]);
    // The customer sees only her own; the guest's is not hers.
    expect((await listOf(alice, r.id, '2026-06-12')).map((x) => x.id)).toEqual([own.body.id]);
    expectProblem(
      await t.http().delete(`/v1/restaurants/${r.id}/reservations/${res.body.id}`).set(alice.auth),
      404,
      'NOT_FOUND',
    );
  });

  it('schedules no reminder for a guest (nobody to send it to), as it does for a customer', async () => {
    const r = await restaurant([['Monaco', 4]]);
    const mine = await book(alice, r.id, { start: '2026-06-13T19:00:00+01:00', partySize: 2 });
    const theirs = await book(manager, r.id, { start: '2026-06-13T21:00:00+01:00', partySize: 2, ...guest });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(await queue.getJob(`restaurant-reservation-${mine.body.id}`)).toBeDefined();
    expect(await queue.getJob(`restaurant-reservation-${theirs.body.id}`)).toBeUndefined();
    // Moved and cancelled by the manager, still without one.
    const moved = await t
      .http()
      .patch(`/v1/restaurants/${r.id}/reservations/${theirs.body.id}`)
      .set(manager.auth)
      .send({ start: '2026-06-13T21:30:00+01:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ guestPhone: '+442079460958', guestName: 'Grace Hopper' });
    expect(await queue.getJob(`restaurant-reservation-${theirs.body.id}`)).toBeUndefined();
    const cancelled = await t.http().delete(`/v1/restaurants/${r.id}/reservations/${theirs.body.id}`).set(manager.auth);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('is for the restaurant’s manager and admins: 403 for another manager and for customers', async () => {
    const r = await restaurant([['Monaco', 4]]);
    const body = { start: '2026-06-14T19:00:00+01:00', partySize: 2, ...guest };
    expectProblem(await book(otherManager, r.id, body), 403, 'FORBIDDEN');
    expectProblem(await book(alice, r.id, body), 403, 'FORBIDDEN');
    expect(await listOf(manager, r.id, '2026-06-14')).toEqual([]);
    const byAdmin = await book(admin, r.id, body);
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.userId).toBe(admin.id);
  });

  it('refuses a bad phone or a missing name with 400 problem+json and stores nothing', async () => {
    const r = await restaurant([['Monaco', 4]]);
    const before = await t.storedKeys();
    const start = '2026-06-15T19:00:00+01:00';
    for (const extra of [
      { guestPhone: '+44 20 7946 0958' },
      { guestPhone: '+44 20 7946 0958', guestName: '' },
      { guestPhone: '+44 20 7946 0958', guestName: '   ' },
      { ...guest, guestPhone: '12345' },
      { ...guest, guestPhone: '+1234567890123456' },
      { ...guest, guestPhone: 'call me' },
      { ...guest, guestPhone: '+44 20 7946 0958 ext 12' },
      { ...guest, guestPhone: 4420794609 },
      { ...guest, guestPhone: `+44${' '.repeat(40)}2079460958` },
      { ...guest, guestName: 'Grace\u202eHopper' },
    ]) {
      const res = await book(manager, r.id, { start, partySize: 2, ...extra });
      expect({ extra, status: res.status }).toEqual({ extra, status: 400 });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
    expect(await t.storedKeys()).toEqual(before);
  });

  it('keeps the one-table rule: guests and customers racing for the last table, exactly one wins', async () => {
    const r = await restaurant([['Monaco', 4]]);
    const start = '2026-06-16T19:00:00+01:00';
    const customers = Array.from({ length: 10 }, () => t.bearer(randomUUID(), 'customer'));
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        book(manager, r.id, { start, partySize: 2, guestName: `Walk-in ${i}`, guestPhone: `+4420794609${i}0` }),
      ),
      ...customers.map((c) => book(c, r.id, { start, partySize: 2 })),
    ]);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expectProblem(a, 409, 'NO_TABLE_AVAILABLE');
    expect(await listOf(manager, r.id, '2026-06-16')).toHaveLength(1);
    const report = await new IntegrityChecker(t.redis, INTEGRITY_CHECKS, { now: () => t.clock.now() }).run();
    expect(report.findings.filter((f) => f.invariant.startsWith('restaurant'))).toEqual([]);
  });
});
