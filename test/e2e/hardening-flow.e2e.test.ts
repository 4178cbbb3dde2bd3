import { createEvent, seatMap } from '../support/events.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

/** Business-flow abuse (issue 14, items 5, 6, 7 and 18): limits that keep one account from taking everything. */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('hold renewals (HOLD_MAX_RENEWALS, default 4)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const hold = (who: { auth: Record<string, string> }, eventId: string, seatId: string) =>
    t.http().post(`/v1/events/${eventId}/seats/${seatId}/hold`).set(who.auth);
  const release = (who: { auth: Record<string, string> }, eventId: string, seatId: string) =>
    t.http().delete(`/v1/events/${eventId}/seats/${seatId}/hold`).set(who.auth);
  const holdMany = (who: { auth: Record<string, string> }, eventId: string, body: object) =>
    t.http().post(`/v1/events/${eventId}/holds`).set(who.auth).send(body);

  it('allows four renewals in a row; the fifth is 409 HOLD_RENEWAL_LIMIT and the hold runs out as usual', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const seat = event.seats[0];
    const alice = t.bearer();
    const first = await hold(alice, event.id, seat.id);
    expect(first.status).toBe(200);
    let last = first.body.expiresAt as string;
    for (let renewal = 1; renewal <= 4; renewal++) {
      t.clock.advance(10_000);
      const res = await hold(alice, event.id, seat.id);
      expect(res.status).toBe(200);
      last = res.body.expiresAt;
    }
    t.clock.advance(10_000);
    const refused = await hold(alice, event.id, seat.id);
    expectProblem(refused, 409, 'HOLD_RENEWAL_LIMIT');
    expect(refused.body).toMatchObject({ seatIds: [seat.id], maxRenewals: 4 });
    // Refused, not shortened: the last hold stands until its own expiry, then the seat is free for anyone.
    const mine = await t.http().get('/v1/users/me/holds').set(alice.auth);
    expect(mine.body.items).toEqual([expect.objectContaining({ seatId: seat.id, expiresAt: last })]);
    t.clock.set(Date.parse(last));
    expect((await seatMap(t, event.id))[1]).toBe('available');
    const bob = t.bearer();
    expect((await hold(bob, event.id, seat.id)).status).toBe(200);
  });

  it('does not reset the count by releasing and holding again, nor by letting the hold run out', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const seat = event.seats[0];
    const alice = t.bearer();
    expect((await hold(alice, event.id, seat.id)).status).toBe(200);
    for (let renewal = 1; renewal <= 4; renewal++) {
      expect((await release(alice, event.id, seat.id)).status).toBe(204);
      t.clock.advance(5_000);
      expect((await hold(alice, event.id, seat.id)).status).toBe(200);
    }
    expect((await release(alice, event.id, seat.id)).status).toBe(204);
    expectProblem(await hold(alice, event.id, seat.id), 409, 'HOLD_RENEWAL_LIMIT');
    // Still refused after the released hold would have run out, until one hold time after that.
    t.clock.advance(60_000);
    expectProblem(await hold(alice, event.id, seat.id), 409, 'HOLD_RENEWAL_LIMIT');
    t.clock.advance(59_999);
    expectProblem(await hold(alice, event.id, seat.id), 409, 'HOLD_RENEWAL_LIMIT');
    t.clock.advance(1);
    expect((await hold(alice, event.id, seat.id)).status).toBe(200);
    // A new row: four renewals again.
    for (let renewal = 1; renewal <= 4; renewal++) expect((await hold(alice, event.id, seat.id)).status).toBe(200);
    expectProblem(await hold(alice, event.id, seat.id), 409, 'HOLD_RENEWAL_LIMIT');
  });

  it('counts per seat and user: another user’s hold in between starts a new row', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const [a, b] = event.seats;
    const alice = t.bearer();
    const bob = t.bearer();
    for (let i = 0; i < 5; i++) expect((await hold(alice, event.id, a.id)).status).toBe(200);
    expectProblem(await hold(alice, event.id, a.id), 409, 'HOLD_RENEWAL_LIMIT');
    // Another seat of alice's is a row of its own.
    expect((await hold(alice, event.id, b.id)).status).toBe(200);
    // Bob takes seat a once alice's hold ran out; after bob, alice may hold it afresh.
    t.clock.advance(60_000);
    expect((await hold(bob, event.id, a.id)).status).toBe(200);
    expect((await release(bob, event.id, a.id)).status).toBe(204);
    for (let i = 0; i < 5; i++) expect((await hold(alice, event.id, a.id)).status).toBe(200);
    expectProblem(await hold(alice, event.id, a.id), 409, 'HOLD_RENEWAL_LIMIT');
  });

  it('applies to multi-seat holds, all or nothing, naming the seats at the limit', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const [a, b, c] = event.seats;
    const alice = t.bearer();
    for (let i = 0; i < 5; i++) expect((await holdMany(alice, event.id, { seatIds: [a.id, b.id] })).status).toBe(200);
    const refused = await holdMany(alice, event.id, { seatIds: [c.id, a.id] });
    expectProblem(refused, 409, 'HOLD_RENEWAL_LIMIT');
    expect(refused.body.seatIds).toEqual([a.id]);
    expect((await seatMap(t, event.id))[3]).toBe('available'); // seat c was not held
    expectProblem(await hold(alice, event.id, b.id), 409, 'HOLD_RENEWAL_LIMIT');
    expect((await hold(alice, event.id, c.id)).status).toBe(200);
  });

  it('lets exactly four of 20 concurrent renewals by one user through', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const seat = event.seats[0];
    const alice = t.bearer();
    expect((await hold(alice, event.id, seat.id)).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 20 }, () => hold(alice, event.id, seat.id)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 409)).toHaveLength(16);
    for (const res of answers.filter((r) => r.status === 409)) expectProblem(res, 409, 'HOLD_RENEWAL_LIMIT');
  });

  it('lets exactly four of 20 concurrent release-and-hold rounds by one user hold again', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const seat = event.seats[0];
    const alice = t.bearer();
    expect((await hold(alice, event.id, seat.id)).status).toBe(200);
    const rounds = await Promise.all(
      Array.from({ length: 20 }, async () => {
        await release(alice, event.id, seat.id);
        return (await hold(alice, event.id, seat.id)).status;
      }),
    );
    expect(rounds.filter((s) => s === 200)).toHaveLength(4);
    expect(rounds.filter((s) => s !== 200)).toEqual(Array.from({ length: 16 }, () => 409));
  });
});

describe('events that have started (EVENT_STARTED)', () => {
  let t: TestApp;
  let manager: Account;
  const NOW = Date.parse('2030-06-01T12:00:00Z');

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 365 * 86_400 });
    t.clock.set(NOW);
    manager = await t.register('manager');
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(NOW));

  const create = (startsAt: string) =>
    t.http().post('/v1/events').set(manager.auth).send({ name: 'Gala', numberOfSeats: 10, startsAt });

  it.each([
    ['in 2001', '2001-09-01T20:00:00Z'],
    ['a minute ago', new Date(NOW - MIN).toISOString()],
    ['exactly now', new Date(NOW).toISOString()],
  ])('refuses creating an event that starts %s with 422, storing nothing', async (_, startsAt) => {
    const before = await t.storedKeys();
    const res = await create(startsAt);
    expectProblem(res, 422, 'EVENT_STARTS_IN_PAST');
    expect(res.body.field).toBe('startsAt');
    expect(await t.storedKeys()).toEqual(before);
  });

  it('refuses holding and reserving, single and multi-seat, once the event has started', async () => {
    const startsAt = NOW + 10 * MIN;
    const event = await createEvent(t, manager, { startsAt: new Date(startsAt).toISOString(), holdSeconds: 3600 });
    const [a, b, c, d] = event.seats;
    const alice = t.bearer();
    const path = `/v1/events/${event.id}`;
    // Before the start: held and reserved as usual.
    expect((await t.http().post(`${path}/seats/${a.id}/hold`).set(alice.auth)).status).toBe(200);
    expect(
      (
        await t
          .http()
          .post(`${path}/holds`)
          .set(alice.auth)
          .send({ seatIds: [b.id, c.id] })
      ).status,
    ).toBe(200);
    expect((await t.http().post(`${path}/seats/${c.id}/reserve`).set(alice.auth)).status).toBe(201);

    t.clock.set(startsAt);
    const before = await t.storedKeys();
    const mapBefore = await seatMap(t, event.id);
    expectProblem(await t.http().post(`${path}/seats/${d.id}/hold`).set(alice.auth), 409, 'EVENT_STARTED');
    expectProblem(await t.http().post(`${path}/seats/${a.id}/hold`).set(alice.auth), 409, 'EVENT_STARTED'); // renewal
    expectProblem(
      await t
        .http()
        .post(`${path}/holds`)
        .set(alice.auth)
        .send({ seatIds: [d.id] }),
      409,
      'EVENT_STARTED',
    );
    expectProblem(await t.http().post(`${path}/holds`).set(alice.auth).send({ quantity: 2 }), 409, 'EVENT_STARTED');
    // Held since before the start, but not reserved in time.
    expectProblem(await t.http().post(`${path}/seats/${a.id}/reserve`).set(alice.auth), 409, 'EVENT_STARTED');
    expectProblem(
      await t
        .http()
        .post(`${path}/reservations`)
        .set(alice.auth)
        .send({ seatIds: [b.id, c.id] }),
      409,
      'EVENT_STARTED',
    );
    expect(await seatMap(t, event.id)).toEqual(mapBefore);
    expect(await t.storedKeys()).toEqual(before);
    // Repeating a reservation made before the start answers as before.
    const again = await t.http().post(`${path}/seats/${c.id}/reserve`).set(alice.auth);
    expect(again.status).toBe(200);
    expect(again.body.reservedAt).toBe(new Date(NOW).toISOString());
    // Releasing what one holds still works (it frees the seat).
    expect((await t.http().delete(`${path}/seats/${a.id}/hold`).set(alice.auth)).status).toBe(204);
  });

  it('keeps an event without startsAt bookable: it has no date and never starts', async () => {
    const event = await createEvent(t, manager);
    t.clock.set(NOW + 20 * 365 * DAY);
    const alice = t.bearer();
    const seat = event.seats[0];
    expect((await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(alice.auth)).status).toBe(200);
    expect((await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/reserve`).set(alice.auth)).status).toBe(201);
  });
});

describe('restaurant reservations per customer per day (RESTAURANT_MAX_RESERVATIONS_PER_DAY, default 2)', () => {
  let t: TestApp;
  let manager: Account;
  const NOW = Date.parse('2030-03-01T00:00:00Z');
  // Tokyo is UTC+9: a local day runs from 15:00 UTC the day before.
  const HOURS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
    day,
    opens: '07:00',
    closes: '23:00',
  }));

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 365 * 86_400 });
    t.clock.set(NOW);
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  async function restaurant(tables: number) {
    const res = await t
      .http()
      .post('/v1/restaurants')
      .set(manager.auth)
      .send({ name: 'Sushi Dai', timezone: 'Asia/Tokyo', openingHours: HOURS });
    expect(res.status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < tables; i++) {
      const table = await t
        .http()
        .post(`/v1/restaurants/${res.body.id}/tables`)
        .set(manager.auth)
        .send({ name: `T${i}`, seats: 4 });
      ids.push(table.body.id);
    }
    return { id: res.body.id as string, tables: ids };
  }
  const book = (who: Account, id: string, body: object) =>
    t
      .http()
      .post(`/v1/restaurants/${id}/reservations`)
      .set(who.auth)
      .send({ partySize: 2, ...body });

  it('lets exactly two of six concurrent bookings by one customer on one local day through', async () => {
    const r = await restaurant(6);
    const alice = await t.register();
    // 07:00 and 08:00 Tokyo are on 14 March in UTC, 20:00 and later on 15 March: one local day all the same.
    const starts = ['07:00', '08:00', '12:00', '20:00', '21:00', '21:30'].map((hhmm) => `2030-03-15T${hhmm}:00+09:00`);
    const answers = await Promise.all(starts.map((start, i) => book(alice, r.id, { start, tableId: r.tables[i] })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    for (const res of answers.filter((a) => a.status === 409)) expectProblem(res, 409, 'RESERVATION_LIMIT_REACHED');
    const mine = await t.http().get(`/v1/restaurants/${r.id}/reservations?date=2030-03-15`).set(alice.auth);
    expect(mine.body.filter((x: { status: string }) => x.status === 'booked')).toHaveLength(2);
  });

  it('counts the local day, leaves out cancelled ones, and binds moves to another day', async () => {
    const r = await restaurant(2);
    const alice = await t.register();
    const first = await book(alice, r.id, { start: '2030-03-15T07:00:00+09:00' });
    const second = await book(alice, r.id, { start: '2030-03-15T21:30:00+09:00' }); // 12:30 UTC
    expect([first.status, second.status]).toEqual([201, 201]);
    expectProblem(await book(alice, r.id, { start: '2030-03-15T12:00:00+09:00' }), 409, 'RESERVATION_LIMIT_REACHED');
    // 07:00 on the 16th in Tokyo is still the 15th in UTC, but another local day.
    const next = await book(alice, r.id, { start: '2030-03-16T07:00:00+09:00' });
    expect(next.status).toBe(201);

    // Moving within its day is fine; moving onto the full day is not.
    const path = `/v1/restaurants/${r.id}/reservations`;
    const within = await t
      .http()
      .patch(`${path}/${first.body.id}`)
      .set(alice.auth)
      .send({ start: '2030-03-15T09:00:00+09:00' });
    expect(within.status).toBe(200);
    const onto = await t
      .http()
      .patch(`${path}/${next.body.id}`)
      .set(alice.auth)
      .send({ start: '2030-03-15T12:00:00+09:00' });
    expectProblem(onto, 409, 'RESERVATION_LIMIT_REACHED');
    const unchanged = await t.http().get(`${path}?date=2030-03-16`).set(alice.auth);
    expect(unchanged.body).toEqual([expect.objectContaining({ id: next.body.id, start: '2030-03-15T22:00:00.000Z' })]);

    // A cancelled reservation does not count: the day has room again, for a booking or a move.
    expect((await t.http().delete(`${path}/${second.body.id}`).set(alice.auth)).status).toBe(200);
    const moved = await t
      .http()
      .patch(`${path}/${next.body.id}`)
      .set(alice.auth)
      .send({ start: '2030-03-15T12:00:00+09:00' });
    expect(moved.status).toBe(200);
    expectProblem(await book(alice, r.id, { start: '2030-03-15T18:00:00+09:00' }), 409, 'RESERVATION_LIMIT_REACHED');
    // The 16th is free again since the move.
    expect((await book(alice, r.id, { start: '2030-03-16T18:00:00+09:00' })).status).toBe(201);
  });

  it('does not cap the restaurant’s manager, nor other customers or restaurants', async () => {
    const r = await restaurant(3);
    const other = await restaurant(1);
    const [alice, bob] = await Promise.all([t.register(), t.register()]);
    for (const hhmm of ['07:00', '12:00', '18:00']) {
      expect((await book(manager, r.id, { start: `2030-03-20T${hhmm}:00+09:00` })).status).toBe(201);
    }
    for (const who of [alice, bob]) {
      for (const hhmm of ['08:00', '13:00']) {
        expect((await book(who, r.id, { start: `2030-03-20T${hhmm}:00+09:00` })).status).toBe(201);
      }
    }
    expect((await book(alice, other.id, { start: '2030-03-20T08:00:00+09:00' })).status).toBe(201);
  });
});

describe('republishing appointment availability', () => {
  let t: TestApp;
  const T0 = Date.parse('2030-01-01T00:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400 });
    t.clock.set(T0);
  });
  afterAll(() => t.close());

  it('answers 201 when it opened slots and 200 when every slot was open already', async () => {
    const provider = await t.register('provider');
    const publish = (start: number, end: number) =>
      t
        .http()
        .post('/v1/providers/me/availability')
        .set(provider.auth)
        .send({ windows: [{ start: iso(T0 + start), end: iso(T0 + end) }] });
    const first = await publish(48 * HOUR, 49 * HOUR);
    expect(first.status).toBe(201);
    expect(first.body.created).toBe(4);
    const again = await publish(48 * HOUR, 49 * HOUR);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, created: 0 });
    const more = await publish(48 * HOUR, 50 * HOUR);
    expect(more.status).toBe(201);
    expect(more.body.created).toBe(4);
  });
});
