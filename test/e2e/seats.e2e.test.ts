import { randomUUID } from 'node:crypto';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { createEvent, seatMap } from '../support/events.js';
import type { SeatRow } from '../support/events.js';
import { waitFor } from '../support/live.js';

describe('seats: hold, release, reserve (HTTP)', () => {
  let t: TestApp;
  let manager: Account;
  let alice: Account;
  let bob: Account;
  let event: { id: string; seats: SeatRow[] };

  beforeAll(async () => {
    // Tokens outlive the clock jumps below (an hour at most).
    t = await TestApp.start({ maxHoldsPerUser: 4, accessTokenTtlSeconds: 86_400 });
    manager = await t.register('manager');
    alice = await t.register();
    bob = await t.register();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    event = await createEvent(t, manager, { numberOfSeats: 20, holdSeconds: 1 });
  });

  const seatUrl = (n: number, action: string, e = event) => `/v1/events/${e.id}/seats/${e.seats[n - 1].id}/${action}`;
  const hold = (n: number, who: Account) => t.http().post(seatUrl(n, 'hold')).set(who.auth);
  const release = (n: number, who: Account) => t.http().delete(seatUrl(n, 'hold')).set(who.auth);
  const reserve = (n: number, who: Account) => t.http().post(seatUrl(n, 'reserve')).set(who.auth);

  describe('hold', () => {
    it('holds a seat until the event’s hold time has passed, with the server time', async () => {
      const now = t.clock.now();
      const res = await hold(3, alice);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        eventId: event.id,
        seatId: event.seats[2].id,
        number: 3,
        userId: alice.id,
        expiresAt: new Date(now + 1000).toISOString(),
        serverTime: new Date(now).toISOString(),
      });
      expect((await seatMap(t, event.id))[3]).toBe('held');
    });

    it('accepts a hold sent with a JSON content type and no body, as curl scripts and fetch often do', async () => {
      const res = await t.http().post(seatUrl(4, 'hold')).set(alice.auth).set('Content-Type', 'application/json');
      expect(res.status).toBe(200);
      const reserved = await t
        .http()
        .post(seatUrl(4, 'reserve'))
        .set(alice.auth)
        .set('Content-Type', 'application/json');
      expect(reserved.status).toBe(201);
    });

    it('renews when the holder holds again', async () => {
      const first = await hold(1, alice);
      t.clock.advance(600);
      const again = await hold(1, alice);
      expect(again.status).toBe(200);
      expect(Date.parse(again.body.expiresAt)).toBe(Date.parse(first.body.expiresAt) + 600);
      t.clock.advance(600); // past the first expiry, within the renewed one
      expectProblem(await hold(1, bob), 409, 'SEAT_UNAVAILABLE');
    });

    it('refuses a seat held by someone else or reserved, naming it', async () => {
      await hold(1, alice).expect(200);
      const taken = await hold(1, bob);
      expectProblem(taken, 409, 'SEAT_UNAVAILABLE');
      expect(taken.body.seatIds).toEqual([event.seats[0].id]);
      await reserve(1, alice).expect(201);
      expectProblem(await hold(1, bob), 409, 'SEAT_UNAVAILABLE');
      expectProblem(await hold(1, alice), 409, 'SEAT_UNAVAILABLE');
    });

    it('makes the seat available again when the hold expires; the former holder can no longer reserve it', async () => {
      await hold(5, alice).expect(200);
      t.clock.advance(1000);
      expect((await seatMap(t, event.id))[5]).toBe('available');
      const late = await reserve(5, alice);
      expectProblem(late, 409, 'HOLD_REQUIRED');
      const taken = await hold(5, bob);
      expect(taken.status).toBe(200);
      await reserve(5, bob).expect(201);
    });

    it('stops a user at MAX_HOLDS_PER_USER live holds per event; renewals and other events do not count', async () => {
      for (const n of [1, 2, 3, 4]) await hold(n, alice).expect(200);
      const fifth = await hold(5, alice);
      expectProblem(fifth, 409, 'HOLD_LIMIT_REACHED');
      expect(fifth.body.maxHolds).toBe(4);
      await hold(4, alice).expect(200);
      const other = await createEvent(t, manager);
      await t
        .http()
        .post(seatUrl(1, 'hold', other))
        .set(alice.auth)
        .expect(200);
      await release(4, alice).expect(204);
      await hold(5, alice).expect(200);
      t.clock.advance(1000); // all expired: the limit frees up without any release
      for (const n of [6, 7, 8, 9]) await hold(n, alice).expect(200);
    });

    it('needs a token, a real seat of this event and UUID ids', async () => {
      expectProblem(await t.http().post(seatUrl(1, 'hold')), 401, 'UNAUTHORIZED');
      expectProblem(await t.http().delete(seatUrl(1, 'hold')), 401, 'UNAUTHORIZED');
      expectProblem(await t.http().post(seatUrl(1, 'reserve')), 401, 'UNAUTHORIZED');
      const other = await createEvent(t, manager);
      const foreign = await t.http().post(`/v1/events/${event.id}/seats/${other.seats[0].id}/hold`).set(alice.auth);
      expectProblem(foreign, 404, 'NOT_FOUND');
      const unknown = await t.http().post(`/v1/events/${event.id}/seats/${randomUUID()}/hold`).set(alice.auth);
      expectProblem(unknown, 404, 'NOT_FOUND');
      const noEvent = await t.http().post(`/v1/events/${randomUUID()}/seats/${randomUUID()}/hold`).set(alice.auth);
      expectProblem(noEvent, 404, 'NOT_FOUND');
      const malformed = await t.http().post(`/v1/events/${event.id}/seats/seat-1/hold`).set(alice.auth);
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(malformed.body.errors).toEqual([{ field: 'seatId', message: 'must be a UUID' }]);
      expect(Object.values(await seatMap(t, event.id)).every((s) => s === 'available')).toBe(true);
    });
  });

  describe('release', () => {
    it('frees the seat at once; only the holder can release', async () => {
      await hold(2, alice).expect(200);
      expectProblem(await release(2, bob), 404, 'NOT_FOUND');
      expect((await seatMap(t, event.id))[2]).toBe('held');
      await release(2, alice).expect(204);
      expect((await seatMap(t, event.id))[2]).toBe('available');
      expectProblem(await release(2, alice), 404, 'NOT_FOUND');
    });

    it('cannot release a reservation', async () => {
      await hold(2, alice).expect(200);
      await reserve(2, alice).expect(201);
      expectProblem(await release(2, alice), 404, 'NOT_FOUND');
      expect((await seatMap(t, event.id))[2]).toBe('reserved');
    });
  });

  describe('reserve', () => {
    it('reserves a held seat for good; reserving again answers 200 with the same body', async () => {
      await hold(7, alice).expect(200);
      const first = await reserve(7, alice);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        eventId: event.id,
        seatId: event.seats[6].id,
        number: 7,
        userId: alice.id,
        reservedAt: new Date(t.clock.now()).toISOString(),
        categoryId: 'general',
        price: null,
      });
      t.clock.advance(5000);
      const again = await reserve(7, alice);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      t.clock.advance(3_600_000);
      expect((await seatMap(t, event.id))[7]).toBe('reserved');
    });

    it('refuses a seat never held, or held by someone else', async () => {
      expectProblem(await reserve(8, alice), 409, 'HOLD_REQUIRED');
      await hold(8, bob).expect(200);
      const res = await reserve(8, alice);
      expectProblem(res, 409, 'HOLD_REQUIRED');
      expect(res.body.seatIds).toEqual([event.seats[7].id]);
      expect((await seatMap(t, event.id))[8]).toBe('held');
    });
  });

  describe('several seats at once', () => {
    const holds = (who: Account, body: object) =>
      t.http().post(`/v1/events/${event.id}/holds`).set(who.auth).send(body);
    const reservations = (who: Account, body: object) =>
      t.http().post(`/v1/events/${event.id}/reservations`).set(who.auth).send(body);
    const ids = (...numbers: number[]) => numbers.map((n) => event.seats[n - 1].id);

    it('holds the given seats, or none of them, naming the ones not available', async () => {
      const ok = await holds(alice, { seatIds: ids(1, 2, 3) });
      expect(ok.status).toBe(200);
      expect(ok.body.seats.map((s: { number: number }) => s.number)).toEqual([1, 2, 3]);
      expect(ok.body.userId).toBe(alice.id);

      const clash = await holds(bob, { seatIds: ids(3, 4, 5) });
      expectProblem(clash, 409, 'SEAT_UNAVAILABLE');
      expect(clash.body.seatIds).toEqual(ids(3));
      const map = await seatMap(t, event.id);
      expect([map[4], map[5]]).toEqual(['available', 'available']);
    });

    it('picks the lowest-numbered available seats, or a consecutive run with adjacent', async () => {
      await holds(bob, { seatIds: ids(2, 4) }).expect(200);
      const best = await holds(alice, { quantity: 3 });
      expect(best.body.seats.map((s: { number: number }) => s.number)).toEqual([1, 3, 5]);
      const together = await holds(manager, { quantity: 3, adjacent: true });
      expect(together.body.seats.map((s: { number: number }) => s.number)).toEqual([6, 7, 8]);
    });

    it('answers 409 when not enough seats are left, holding nothing', async () => {
      const small = await createEvent(t, manager, { numberOfSeats: 10 });
      const other = await t.http().post(`/v1/events/${small.id}/holds`).set(bob.auth).send({ quantity: 4 });
      expect(other.status).toBe(200);
      await t
        .http()
        .post(`/v1/events/${small.id}/holds`)
        .set(manager.auth)
        .send({ seatIds: [small.seats[5].id] })
        .expect(200);
      const res = await t
        .http()
        .post(`/v1/events/${small.id}/holds`)
        .set(alice.auth)
        .send({ quantity: 5, adjacent: true });
      // Issue 19: best available answers NOT_ENOUGH_SEATS (SEAT_UNAVAILABLE before), with the seats left.
      expectProblem(res, 409, 'NOT_ENOUGH_SEATS');
      expect(res.body.available).toBe(5);
      expect(Object.values(await seatMap(t, small.id)).filter((s) => s === 'held')).toHaveLength(5);
    });

    it('reserves several held seats, all or nothing', async () => {
      await holds(alice, { seatIds: ids(10, 11) }).expect(200);
      const partial = await reservations(alice, { seatIds: ids(10, 11, 12) });
      expectProblem(partial, 409, 'HOLD_REQUIRED');
      expect(partial.body.seatIds).toEqual(ids(12));
      const map = await seatMap(t, event.id);
      expect([map[10], map[11]]).toEqual(['held', 'held']);

      const ok = await reservations(alice, { seatIds: ids(10, 11) });
      expect(ok.status).toBe(201);
      expect(ok.body.seats.map((s: { number: number }) => s.number)).toEqual([10, 11]);
      const again = await reservations(alice, { seatIds: ids(11, 10) });
      expect(again.status).toBe(200);
    });

    it.each([
      [{ seatIds: [] }, 'seatIds'],
      [{ seatIds: Array.from({ length: 11 }, () => randomUUID()) }, 'seatIds'],
      [{ seatIds: ['not-a-uuid'] }, 'seatIds'],
      [{ seatIds: 'x' }, 'seatIds'],
      [{ quantity: 0 }, 'quantity'],
      [{ quantity: 11 }, 'quantity'],
      [{ quantity: 2, seatIds: [randomUUID()] }, 'seatIds'],
      [{}, 'seatIds'],
      [{ seatIds: [randomUUID()], adjacent: true }, 'adjacent'],
      [{ quantity: 2, adjacent: 'yes' }, 'adjacent'],
      [{ seatIds: null }, 'seatIds'],
      [{ quantity: null, adjacent: true }, 'seatIds'],
    ])('refuses %j with 400 naming %s, changing nothing', async (body, field) => {
      const before = await seatMap(t, event.id);
      const res = await holds(alice, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await seatMap(t, event.id)).toEqual(before);
    });

    it('refuses duplicated seat ids', async () => {
      const [a] = ids(1);
      expectProblem(await holds(alice, { seatIds: [a, a] }), 400, 'VALIDATION_FAILED');
      expectProblem(await reservations(alice, { seatIds: [a, a] }), 400, 'VALIDATION_FAILED');
      expectProblem(await reservations(alice, { seatIds: [] }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('my holds and reservations', () => {
    it('lists live holds and reserved seats across events', async () => {
      const carol = await t.register();
      const other = await createEvent(t, manager, { holdSeconds: 60 });
      await hold(1, carol).expect(200);
      await hold(2, carol).expect(200);
      await t
        .http()
        .post(seatUrl(3, 'hold', other))
        .set(carol.auth)
        .expect(200);
      await reserve(2, carol).expect(201);

      const holds = await t.http().get('/v1/users/me/holds').set(carol.auth);
      expect(holds.status).toBe(200);
      expect(holds.body.items).toEqual([
        { eventId: event.id, seatId: event.seats[0].id, number: 1, expiresAt: expect.any(String) },
        { eventId: other.id, seatId: other.seats[2].id, number: 3, expiresAt: expect.any(String) },
      ]);
      t.clock.advance(1000); // the 1 s hold lapses, the 60 s one stays
      const later = await t.http().get('/v1/users/me/holds').set(carol.auth);
      expect(later.body.items.map((h: { number: number }) => h.number)).toEqual([3]);

      const reserved = await t.http().get('/v1/users/me/reservations').set(carol.auth);
      expect(reserved.body).toEqual({
        items: [
          {
            eventId: event.id,
            seatId: event.seats[1].id,
            number: 2,
            reservedAt: expect.any(String),
            categoryId: 'general',
            price: null,
          },
        ],
        nextCursor: null,
        totals: [],
      });
      expectProblem(await t.http().get('/v1/users/me/holds'), 401, 'UNAUTHORIZED');
    });

    it('pages through reservations', async () => {
      const dave = await t.register();
      for (const n of [1, 2, 3]) {
        await hold(n, dave).expect(200);
        await reserve(n, dave).expect(201);
        t.clock.advance(1);
      }
      const first = await t.http().get('/v1/users/me/reservations?limit=2').set(dave.auth);
      expect(first.body.items.map((r: { number: number }) => r.number)).toEqual([1, 2]);
      const next = await t
        .http()
        .get(`/v1/users/me/reservations?limit=2&cursor=${first.body.nextCursor}`)
        .set(dave.auth);
      expect(next.body).toEqual({ items: [expect.objectContaining({ number: 3 })], nextCursor: null, totals: [] });
    });
  });

  it('publishes every change of a seat on the event’s channel', async () => {
    const subscriber = createRedisClient({ ...redisOptionsFrom(t.config), keyPrefix: '' });
    const messages: { eventId: string; seatId: string; status: string; at: string }[] = [];
    try {
      await subscriber.subscribe(t.config.redisKeyPrefix + keys.seatChannel(event.id));
      subscriber.on('message', (_channel: string, message: string) => messages.push(JSON.parse(message)));
      await hold(1, alice).expect(200);
      await release(1, alice).expect(204);
      await hold(2, alice).expect(200);
      await reserve(2, alice).expect(201);
      await hold(3, bob).expect(200);
      await hold(3, alice).expect(409);
      // Sentinel: a change published after the refused hold; had the refusal published anything, it came before.
      await release(3, bob).expect(204);
      await waitFor(() => (messages.length >= 6 ? true : undefined), 15_000);
      const seat = (n: number) => event.seats[n - 1].id;
      expect(messages.map((m) => [m.seatId, m.status])).toEqual([
        [seat(1), 'held'],
        [seat(1), 'available'],
        [seat(2), 'held'],
        [seat(2), 'reserved'],
        [seat(3), 'held'],
        [seat(3), 'available'],
      ]);
      expect(messages.every((m) => m.eventId === event.id && !Number.isNaN(Date.parse(m.at)))).toBe(true);
    } finally {
      subscriber.disconnect();
    }
  });
});
