import { randomUUID } from 'node:crypto';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { createEvent } from '../support/events.js';

describe('events (HTTP)', () => {
  let t: TestApp;
  let manager: Account;
  let customer: Account;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
    customer = await t.register('customer');
  });
  afterAll(() => t.close());

  describe('POST /events', () => {
    it('creates an event with numbered seats for a manager', async () => {
      const res = await t
        .http()
        .post('/v1/events')
        .set(manager.auth)
        .send({ name: ' Spring concert ', numberOfSeats: 12, startsAt: '2027-05-01T19:30:00+02:00' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Spring concert',
        totalSeats: 12,
        holdSeconds: 60,
        startsAt: '2027-05-01T17:30:00.000Z',
        createdAt: expect.any(String),
      });
      const seats = await t.http().get(`/v1/events/${res.body.id}/seats`);
      expect(seats.status).toBe(200);
      expect(seats.body.map((s: { number: number }) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(new Set(seats.body.map((s: { id: string }) => s.id)).size).toBe(12);
      expect(seats.body[0]).toEqual({
        id: expect.any(String),
        eventId: res.body.id,
        number: 1,
        section: '',
        row: '',
        label: '1',
        categoryId: 'general',
        accessible: false,
      });
    });

    it('lets an admin create one, with its own hold time', async () => {
      const admin = await t.register('admin');
      const res = await t
        .http()
        .post('/v1/events')
        .set(admin.auth)
        .send({ name: 'A', numberOfSeats: 1000, holdSeconds: 5 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ totalSeats: 1000, holdSeconds: 5 });
    });

    it('refuses customers (403) and anonymous callers (401)', async () => {
      expectProblem(
        await t.http().post('/v1/events').set(customer.auth).send({ name: 'x', numberOfSeats: 10 }),
        403,
        'FORBIDDEN',
      );
      expectProblem(await t.http().post('/v1/events').send({ name: 'x', numberOfSeats: 10 }), 401, 'UNAUTHORIZED');
    });

    it.each([
      [{ numberOfSeats: 9 }, 'numberOfSeats'],
      [{ numberOfSeats: 1001 }, 'numberOfSeats'],
      [{ numberOfSeats: 10.5 }, 'numberOfSeats'],
      [{ numberOfSeats: '10' }, 'numberOfSeats'],
      [{ numberOfSeats: undefined }, 'numberOfSeats'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ holdSeconds: 0 }, 'holdSeconds'],
      [{ holdSeconds: 3601 }, 'holdSeconds'],
      [{ startsAt: '2027-05-01T19:30:00' }, 'startsAt'],
      [{ startsAt: 'tomorrow' }, 'startsAt'],
      [{ seats: 10 }, 'seats'],
    ])('refuses %j with 400 naming %s, storing nothing', async (patch, field) => {
      const before = await t.storedKeys();
      const res = await t
        .http()
        .post('/v1/events')
        .set(manager.auth)
        .send({ name: 'Concert', numberOfSeats: 10, ...patch });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await t.storedKeys()).toEqual(before);
    });
  });

  describe('GET /events', () => {
    it('pages through events newest first with an opaque cursor', async () => {
      const fresh = await TestApp.start();
      try {
        const boss = await fresh.register('manager');
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          ids.push((await createEvent(fresh, boss, { name: `E${i}` })).id);
          fresh.clock.advance(1);
        }
        const first = await fresh.http().get('/v1/events?limit=2');
        expect(first.status).toBe(200);
        expect(first.body.items.map((e: { id: string }) => e.id)).toEqual([ids[4], ids[3]]);
        const second = await fresh.http().get(`/v1/events?limit=2&cursor=${first.body.nextCursor}`);
        expect(second.body.items.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
        const third = await fresh.http().get(`/v1/events?limit=2&cursor=${second.body.nextCursor}`);
        expect(third.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
      } finally {
        await fresh.close();
      }
    });

    it.each(['0', '101', 'ten', '-1'])('refuses limit=%s', async (limit) => {
      const res = await t.http().get(`/v1/events?limit=${limit}`);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe('limit');
    });

    it('refuses a tampered cursor', async () => {
      const { body } = await t.http().get('/v1/events?limit=1');
      expect(body.nextCursor).toEqual(expect.any(String));
      const [payload, signature] = body.nextCursor.split('.');
      const forged = Buffer.from(JSON.stringify({ p: '999999999999999:zzz' })).toString('base64url');
      for (const cursor of [`${forged}.${signature}`, `${payload}.AAAA`, 'garbage']) {
        const res = await t.http().get(`/v1/events?cursor=${cursor}`);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors[0].field).toBe('cursor');
      }
    });
  });

  describe('GET /events/{id}', () => {
    it('shows seat counts that follow holds and reservations', async () => {
      const event = await createEvent(t, manager, { numberOfSeats: 10 });
      await t.http().post(`/v1/events/${event.id}/seats/${event.seats[0].id}/hold`).set(customer.auth).expect(200);
      await t.http().post(`/v1/events/${event.id}/seats/${event.seats[1].id}/hold`).set(customer.auth).expect(200);
      await t.http().post(`/v1/events/${event.id}/seats/${event.seats[1].id}/reserve`).set(customer.auth).expect(201);
      const res = await t.http().get(`/v1/events/${event.id}`);
      expect(res.status).toBe(200);
      expect(res.body.counts).toEqual({ available: 8, held: 1, reserved: 1 });
    });

    it('answers 404 for an unknown event and 400 for a malformed id', async () => {
      expectProblem(await t.http().get(`/v1/events/${randomUUID()}`), 404, 'NOT_FOUND');
      expectProblem(await t.http().get(`/v1/events/${randomUUID()}/seats`), 404, 'NOT_FOUND');
      const bad = await t.http().get('/v1/events/12345');
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.errors).toEqual([{ field: 'eventId', message: 'must be a UUID' }]);
    });

    it('refuses an unknown seat status filter', async () => {
      const event = await createEvent(t, manager);
      expectProblem(await t.http().get(`/v1/events/${event.id}/seats?status=held`), 400, 'VALIDATION_FAILED');
    });
  });

  describe('seat map', () => {
    it('costs one Redis command for a 1000-seat event once its seating plan is known', async () => {
      const big = await createEvent(t, manager, { numberOfSeats: 1000 });
      const commands = await t.commandsDuring(() => t.http().get(`/v1/events/${big.id}/seats`).expect(200));
      // The read-only script that answers the states with their version (events:readSeatStates).
      expect(commands).toEqual([expect.stringMatching(/^events:readSeatStates$|^evalsha$/)]);
    });

    it('lists only available seats by default and every status with ?status=all, never the holder', async () => {
      const event = await createEvent(t, manager);
      const [s1, s2] = event.seats;
      await t.http().post(`/v1/events/${event.id}/seats/${s1.id}/hold`).set(customer.auth).expect(200);
      await t.http().post(`/v1/events/${event.id}/seats/${s2.id}/hold`).set(customer.auth).expect(200);
      await t.http().post(`/v1/events/${event.id}/seats/${s2.id}/reserve`).set(customer.auth).expect(201);

      const available = await t.http().get(`/v1/events/${event.id}/seats`);
      expect(available.body.map((s: { number: number }) => s.number)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
      const all = await t.http().get(`/v1/events/${event.id}/seats?status=all`);
      // Issue 19's fields: numberOfSeats events are one unnamed section and row, seats labelled by number.
      const place = (n: number) => ({
        section: '',
        row: '',
        label: String(n),
        categoryId: 'general',
        accessible: false,
      });
      expect(all.body.slice(0, 3)).toEqual([
        { id: s1.id, eventId: event.id, number: 1, ...place(1), status: 'held' },
        { id: s2.id, eventId: event.id, number: 2, ...place(2), status: 'reserved' },
        { id: event.seats[2].id, eventId: event.id, number: 3, ...place(3), status: 'available' },
      ]);
      expect(JSON.stringify(all.body)).not.toContain(customer.id);
    });
  });
});
