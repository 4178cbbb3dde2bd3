import { randomUUID } from 'node:crypto';
import { TestApp, expectProblem } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

describe('bookings under concurrency and retries (HTTP)', () => {
  let t: TestApp;
  let alice: Account;
  const day = 86_400_000;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 86_400 });
    alice = await t.register();
  });
  afterAll(() => t.close());

  const newBooking = (title = `Trip ${randomUUID()}`) => ({
    type: 'vehicle',
    title,
    startTime: new Date(t.clock.now() + 3 * day).toISOString(),
    endTime: new Date(t.clock.now() + 4 * day).toISOString(),
  });

  async function countBookings(who: Account): Promise<number> {
    const res = await t.http().get('/v1/bookings?limit=100').set(who.auth);
    return res.body.items.length;
  }

  it('50 concurrent edits from one ETag: exactly one 200, 49 412, and nothing is silently lost', async () => {
    const { body: booking } = await t.http().post('/v1/bookings').set(alice.auth).send(newBooking()).expect(201);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t
          .http()
          .patch(`/v1/bookings/${booking.id}`)
          .set(alice.auth)
          .set('If-Match', '"1"')
          .send({ title: `Edit ${i}` }),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.status === 412);
    expect(losers).toHaveLength(49);
    losers.forEach((r) => expectProblem(r, 412, 'PRECONDITION_FAILED'));
    const stored = await t.http().get(`/v1/bookings/${booking.id}`).set(alice.auth);
    expect(stored.body).toEqual(winners[0].body);
    expect(stored.body.version).toBe(2);
  });

  describe('Idempotency-Key', () => {
    it('50 concurrent POSTs with one key create exactly one booking', async () => {
      const bob = await t.register();
      const key = randomUUID();
      const payload = newBooking();
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.http().post('/v1/bookings').set(bob.auth).set('Idempotency-Key', key).send(payload),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      results.filter((r) => r.status === 409).forEach((r) => expectProblem(r, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT'));
      const created = results.filter((r) => r.status === 201);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      expect(await countBookings(bob)).toBe(1);
    });

    it('replays the first answer to a retry, with a marker header, and creates nothing new', async () => {
      const carol = await t.register();
      const key = randomUUID();
      const payload = newBooking();
      const first = await t.http().post('/v1/bookings').set(carol.auth).set('Idempotency-Key', key).send(payload);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // Keys in another order are the same body.
      const reordered = Object.fromEntries(Object.entries(payload).reverse());
      const retry = await t.http().post('/v1/bookings').set(carol.auth).set('Idempotency-Key', key).send(reordered);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.etag).toBe(first.headers.etag);
      expect(retry.headers.location).toBe(first.headers.location);
      expect(await countBookings(carol)).toBe(1);
    });

    it('refuses the same key with another body (422) and keeps keys apart per user', async () => {
      const dave = await t.register();
      const erin = await t.register();
      const key = randomUUID();
      await t.http().post('/v1/bookings').set(dave.auth).set('Idempotency-Key', key).send(newBooking()).expect(201);
      const reused = await t.http().post('/v1/bookings').set(dave.auth).set('Idempotency-Key', key).send(newBooking());
      expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await countBookings(dave)).toBe(1);
      const otherUser = await t
        .http()
        .post('/v1/bookings')
        .set(erin.auth)
        .set('Idempotency-Key', key)
        .send(newBooking());
      expect(otherUser.status).toBe(201);
    });

    it('forgets failed requests, so a corrected retry with the same key goes through', async () => {
      const frank = await t.register();
      const key = randomUUID();
      const bad = await t
        .http()
        .post('/v1/bookings')
        .set(frank.auth)
        .set('Idempotency-Key', key)
        .send({ ...newBooking(), type: 'boat' });
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      const fixed = await t.http().post('/v1/bookings').set(frank.auth).set('Idempotency-Key', key).send(newBooking());
      expect(fixed.status).toBe(201);
    });

    it('refuses a malformed key with 400', async () => {
      for (const key of ['with space', 'x'.repeat(201), 'tab\there']) {
        const res = await t.http().post('/v1/bookings').set(alice.auth).set('Idempotency-Key', key).send(newBooking());
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors[0].field).toBe('Idempotency-Key');
      }
    });

    it('applies to seat holds and reservations too', async () => {
      const manager = await t.register('manager');
      const event = await t.http().post('/v1/events').set(manager.auth).send({ name: 'E', numberOfSeats: 10 });
      const seats = (await t.http().get(`/v1/events/${event.body.id}/seats`)).body;
      const url = `/v1/events/${event.body.id}/seats/${seats[0].id}`;
      const key = randomUUID();
      const hold = await t.http().post(`${url}/hold`).set(alice.auth).set('Idempotency-Key', key);
      t.clock.advance(1000);
      const replay = await t.http().post(`${url}/hold`).set(alice.auth).set('Idempotency-Key', key);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(hold.body);
      const reserveKey = randomUUID();
      const reserved = await t.http().post(`${url}/reserve`).set(alice.auth).set('Idempotency-Key', reserveKey);
      expect(reserved.status).toBe(201);
      const again = await t.http().post(`${url}/reserve`).set(alice.auth).set('Idempotency-Key', reserveKey);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const reusedOnOtherRoute = await t.http().post(`${url}/hold`).set(alice.auth).set('Idempotency-Key', reserveKey);
      expectProblem(reusedOnOtherRoute, 422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });
});
