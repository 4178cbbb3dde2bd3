import { randomUUID } from 'node:crypto';
import { EVERY_EVENING, restaurantWithTables } from '../support/restaurants.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('restaurants (HTTP)', () => {
  let t: TestApp;
  let manager: Account;
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 365 * 86_400 });
    t.clock.set(NOW);
    [manager, alice, bob] = await Promise.all([t.register('manager'), t.register(), t.register()]);
  });
  afterAll(() => t.close());

  const restaurant = (tables: [string, number][], body: Record<string, unknown> = {}) =>
    restaurantWithTables(t, manager, tables, body);
  const book = (who: Account, id: string, body: Record<string, unknown>) =>
    t.http().post(`/v1/restaurants/${id}/reservations`).set(who.auth).send(body);

  it('sets up a restaurant, lists timeslots, books, moves and cancels', async () => {
    const r = await restaurant([
      ['Monaco', 2],
      ['Paris', 4],
      ['Rome', 6],
    ]);
    const slots = await t.http().get(`/v1/restaurants/${r.id}/timeslots?date=2026-06-12&partySize=3`);
    expect(slots.status).toBe(200);
    expect(slots.body[0]).toEqual({
      start: '2026-06-12T18:00:00+01:00',
      end: '2026-06-12T19:30:00+01:00',
      freeTables: 2,
    });
    expect(slots.body.at(-1).start).toBe('2026-06-12T21:30:00+01:00');

    const booked = await book(alice, r.id, { start: '2026-06-12T20:00:00+01:00', partySize: 3, guestName: 'Alice' });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      restaurantId: r.id,
      tableId: r.tables.Paris, // the smallest table that seats three
      userId: alice.id,
      start: '2026-06-12T19:00:00.000Z',
      end: '2026-06-12T20:30:00.000Z',
      partySize: 3,
      status: 'booked',
    });
    const after = await t.http().get(`/v1/restaurants/${r.id}/timeslots?date=2026-06-12&partySize=3`);
    const at = (start: string) => after.body.find((s: { start: string }) => s.start === start).freeTables;
    expect([at('2026-06-12T18:30:00+01:00'), at('2026-06-12T19:00:00+01:00'), at('2026-06-12T21:30:00+01:00')]).toEqual(
      [2, 1, 2],
    );

    const moved = await t
      .http()
      .patch(`/v1/restaurants/${r.id}/reservations/${booked.body.id}`)
      .set(alice.auth)
      .send({ start: '2026-06-12T21:00:00+01:00', partySize: 5 });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ tableId: r.tables.Rome, start: '2026-06-12T20:00:00.000Z', partySize: 5 });

    const list = await t.http().get(`/v1/restaurants/${r.id}/reservations?date=2026-06-12`).set(manager.auth);
    expect(list.body.map((x: { id: string; tableId: string }) => [x.id, x.tableId])).toEqual([
      [booked.body.id, r.tables.Rome],
    ]);
    expect((await t.http().get(`/v1/restaurants/${r.id}/reservations?date=2026-06-12`).set(bob.auth)).body).toEqual([]);

    const cancelled = await t.http().delete(`/v1/restaurants/${r.id}/reservations/${booked.body.id}`).set(alice.auth);
    expect(cancelled.body.status).toBe('cancelled');
    const rome = await book(bob, r.id, { start: '2026-06-12T21:00:00+01:00', partySize: 6, tableId: r.tables.Rome });
    expect(rome.status).toBe(201);
  });

  it('lists a day’s timeslots in two Redis round trips, however many tables and slots', async () => {
    const r = await restaurant(Array.from({ length: 12 }, (_, i): [string, number] => [`T${i}`, 4]));
    const commands = await t.commandsDuring(() =>
      t.http().get(`/v1/restaurants/${r.id}/timeslots?date=2026-06-12&partySize=2`).expect(200),
    );
    // One pipeline (restaurant and tables) and one range read of the day's sittings.
    expect(commands).toEqual(['hgetall', 'hvals', 'zrangebyscore']);
  });

  it('computes timeslots in the restaurant’s zone across daylight-saving changes and after midnight', async () => {
    const r = await restaurant([['Monaco', 2]], {
      slotMinutes: 60,
      sittingMinutes: 60,
      openingHours: [
        { day: 'sun', opens: '00:00', closes: '04:00' },
        { day: 'sat', opens: '22:00', closes: '02:00' },
      ],
    });
    const spring = await t.http().get(`/v1/restaurants/${r.id}/timeslots?date=2026-03-29&partySize=2`);
    // The clocks jump from 01:00 GMT to 02:00 BST: 01:00 UTC reads 02:00 local, and no local 01:xx exists.
    expect(spring.body.map((s: { start: string }) => s.start)).toEqual([
      '2026-03-29T00:00:00+00:00',
      '2026-03-29T02:00:00+01:00',
      '2026-03-29T03:00:00+01:00',
    ]);
    const autumn = await t.http().get(`/v1/restaurants/${r.id}/timeslots?date=2026-10-25&partySize=2`);
    // 00:00 BST to 04:00 GMT is five real hours: the repeated 01:00 appears at both offsets.
    expect(autumn.body.map((s: { start: string }) => s.start)).toEqual([
      '2026-10-25T00:00:00+01:00',
      '2026-10-25T01:00:00+01:00',
      '2026-10-25T01:00:00+00:00',
      '2026-10-25T02:00:00+00:00',
      '2026-10-25T03:00:00+00:00',
    ]);
    const booked = await book(alice, r.id, { start: '2026-10-25T01:00:00+00:00', partySize: 2 });
    expect(booked.status).toBe(201);
    expect(booked.body.start).toBe('2026-10-25T01:00:00.000Z');
  });

  it('offers only timeslots still ahead on the current day', async () => {
    const r = await restaurant([['Monaco', 2]]);
    t.clock.set(Date.parse('2026-06-12T19:10:00Z')); // 20:10 in London
    try {
      const res = await t.http().get(`/v1/restaurants/${r.id}/timeslots?date=2026-06-12&partySize=2`);
      expect(res.body.map((s: { start: string }) => s.start)).toEqual([
        '2026-06-12T20:30:00+01:00',
        '2026-06-12T21:00:00+01:00',
        '2026-06-12T21:30:00+01:00',
      ]);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('refuses a start that is not a timeslot, a party that does not fit, a taken named table', async () => {
    const r = await restaurant([
      ['Monaco', 2],
      ['Paris', 4],
    ]);
    expectProblem(await book(alice, r.id, { start: '2026-06-12T20:15:00+01:00', partySize: 2 }), 422, 'NOT_A_TIMESLOT');
    expectProblem(await book(alice, r.id, { start: '2026-06-12T22:00:00+01:00', partySize: 2 }), 422, 'NOT_A_TIMESLOT');
    expectProblem(await book(alice, r.id, { start: '2026-06-12T12:00:00+01:00', partySize: 2 }), 422, 'NOT_A_TIMESLOT');
    expectProblem(
      await book(alice, r.id, { start: '2026-06-12T20:00:00+01:00', partySize: 5 }),
      422,
      'PARTY_TOO_LARGE',
    );
    const named = { start: '2026-06-12T20:00:00+01:00', partySize: 3, tableId: r.tables.Monaco };
    expectProblem(await book(alice, r.id, named), 422, 'PARTY_TOO_LARGE');
    await book(alice, r.id, { start: '2026-06-12T20:00:00+01:00', partySize: 2, tableId: r.tables.Monaco }).expect(201);
    const taken = await book(bob, r.id, { start: '2026-06-12T20:30:00+01:00', partySize: 2, tableId: r.tables.Monaco });
    expectProblem(taken, 409, 'TABLE_UNAVAILABLE');
    await book(bob, r.id, { start: '2026-06-12T20:30:00+01:00', partySize: 2 }).expect(201); // Paris
    expectProblem(
      await book(bob, r.id, { start: '2026-06-12T20:00:00+01:00', partySize: 2 }),
      409,
      'NO_TABLE_AVAILABLE',
    );
    expectProblem(
      await book(bob, r.id, { start: '2026-06-12T20:00:00+01:00', partySize: 2, tableId: randomUUID() }),
      404,
      'NOT_FOUND',
    );
  });

  it('keeps the old booking when a move conflicts', async () => {
    const r = await restaurant([
      ['Monaco', 2],
      ['Paris', 2],
    ]);
    const a = await book(alice, r.id, { start: '2026-06-12T19:00:00+01:00', partySize: 2, tableId: r.tables.Monaco });
    await book(bob, r.id, { start: '2026-06-12T21:00:00+01:00', partySize: 2, tableId: r.tables.Paris }).expect(201);
    const url = `/v1/restaurants/${r.id}/reservations/${a.body.id}`;
    const clash = await t
      .http()
      .patch(url)
      .set(alice.auth)
      .send({ start: '2026-06-12T20:00:00+01:00', tableId: r.tables.Paris });
    expectProblem(clash, 409, 'TABLE_UNAVAILABLE');
    const stored = (await t.http().get(`/v1/restaurants/${r.id}/reservations?date=2026-06-12`).set(alice.auth)).body[0];
    expect(stored).toMatchObject({ tableId: r.tables.Monaco, start: '2026-06-12T18:00:00.000Z' });
    // Moving within its own sitting (half an hour later, same table) is not blocked by itself.
    const later = await t.http().patch(url).set(alice.auth).send({ start: '2026-06-12T19:30:00+01:00' });
    expect(later.status).toBe(200);
    expect(later.body.tableId).toBe(r.tables.Monaco);
    expectProblem(await t.http().patch(url).set(bob.auth).send({ partySize: 1 }), 404, 'NOT_FOUND');
    await t.http().delete(url).set(manager.auth).expect(200);
    expectProblem(await t.http().patch(url).set(alice.auth).send({ partySize: 1 }), 409, 'RESERVATION_CANCELLED');
  });

  it('refuses to remove a table with future reservations; manager routes are the manager’s', async () => {
    const r = await restaurant([['Monaco', 2]]);
    await book(alice, r.id, { start: '2026-06-12T19:00:00+01:00', partySize: 2 }).expect(201);
    const url = `/v1/restaurants/${r.id}/tables/${r.tables.Monaco}`;
    expectProblem(await t.http().delete(url).set(manager.auth), 409, 'TABLE_HAS_RESERVATIONS');
    const otherManager = await t.register('manager');
    expectProblem(await t.http().delete(url).set(otherManager.auth), 403, 'FORBIDDEN');
    expectProblem(await t.http().delete(url).set(alice.auth), 403, 'FORBIDDEN');
    expectProblem(
      await t.http().post(`/v1/restaurants/${r.id}/tables`).set(alice.auth).send({ name: 'X', seats: 2 }),
      403,
      'FORBIDDEN',
    );
    t.clock.set(Date.parse('2026-06-13T00:00:00Z'));
    try {
      expect((await t.http().delete(url).set(manager.auth)).status).toBe(204);
    } finally {
      t.clock.set(NOW);
    }
    expect((await t.http().get(`/v1/restaurants/${r.id}/tables`)).body).toEqual([]);
  });

  it('replaces opening hours, keeping existing reservations', async () => {
    const r = await restaurant([['Monaco', 2]]);
    const a = await book(alice, r.id, { start: '2026-06-12T19:00:00+01:00', partySize: 2 });
    const res = await t
      .http()
      .put(`/v1/restaurants/${r.id}/opening-hours`)
      .set(manager.auth)
      .send({ openingHours: [{ day: 'mon', opens: '12:00', closes: '14:00' }] });
    expect(res.status).toBe(200);
    expect((await t.http().get(`/v1/restaurants/${r.id}/timeslots?date=2026-06-12&partySize=2`)).body).toEqual([]);
    const list = await t.http().get(`/v1/restaurants/${r.id}/reservations?date=2026-06-12`).set(manager.auth);
    expect(list.body.map((x: { id: string }) => x.id)).toEqual([a.body.id]);
  });

  describe('bad input changes nothing', () => {
    it.each([
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ openingHours: [{ day: 'mon', opens: '25:00', closes: '23:00' }] }, 'openingHours.0.opens'],
      [{ openingHours: [{ day: 'mon', opens: '7pm', closes: '23:00' }] }, 'openingHours.0.opens'],
      [{ openingHours: [{ day: 'funday', opens: '18:00', closes: '23:00' }] }, 'openingHours.0.day'],
      [{ openingHours: [{ day: 'mon', opens: '18:00', closes: '18:00' }] }, 'openingHours.0.closes'],
      [{ slotMinutes: 20 }, 'slotMinutes'],
      [{ name: '' }, 'name'],
    ])('refuses a restaurant with %j naming %s', async (patch, field) => {
      const before = await t.storedKeys();
      const res = await t
        .http()
        .post('/v1/restaurants')
        .set(manager.auth)
        .send({ name: 'R', timezone: 'Europe/London', openingHours: EVERY_EVENING, ...patch });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await t.storedKeys()).toEqual(before);
    });

    it('refuses bad tables, dates, party sizes, starts and callers', async () => {
      const r = await restaurant([['Monaco', 4]]);
      const before = await t.storedKeys();
      for (const seats of [0, 21, 2.5]) {
        const res = await t.http().post(`/v1/restaurants/${r.id}/tables`).set(manager.auth).send({ name: 'X', seats });
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
      for (const query of [
        'date=12-06-2026&partySize=2',
        'date=2026-02-30&partySize=2',
        'date=2026-06-12&partySize=0',
        'date=2026-06-12',
      ]) {
        expectProblem(await t.http().get(`/v1/restaurants/${r.id}/timeslots?${query}`), 400, 'VALIDATION_FAILED');
      }
      expectProblem(
        await t.http().get(`/v1/restaurants/${r.id}/timeslots?date=2026-06-12&partySize=5`),
        422,
        'PARTY_TOO_LARGE',
      );
      expectProblem(await book(alice, r.id, { start: '2026-06-12T19:00:00', partySize: 2 }), 400, 'VALIDATION_FAILED');
      const past = await book(alice, r.id, { start: '2026-02-20T19:00:00+00:00', partySize: 2 });
      expectProblem(past, 400, 'VALIDATION_FAILED');
      expect(past.body.errors[0].field).toBe('start');
      expectProblem(
        await book(alice, r.id, { start: '2026-06-12T19:00:00+01:00', partySize: 0 }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await t.http().post(`/v1/restaurants`).set(alice.auth).send({}), 403, 'FORBIDDEN');
      expectProblem(
        await book(alice, randomUUID(), { start: '2026-06-12T19:00:00+01:00', partySize: 2 }),
        404,
        'NOT_FOUND',
      );
      expectProblem(await t.http().get('/v1/restaurants/nope'), 400, 'VALIDATION_FAILED');
      expect(await t.storedKeys()).toEqual(before);
    });
  });
});
