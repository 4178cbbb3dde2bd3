import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Test } from 'supertest';
import { keys } from '../../src/redis/keys.js';
import { startEmbeddedRedis } from '../../src/redis/embedded-redis.js';
import type { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { createEvent } from '../support/events.js';
import type { SeatRow } from '../support/events.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
  day,
  opens: '18:00',
  closes: '23:00',
}));

/**
 * Redis out of memory (`maxmemory` reached, policy `noeviction`): every request that would add data is refused with
 * 503 + Retry-After, none leaves anything behind, and the same requests succeed once memory is available again.
 * A Redis of this file's own, so filling it up disturbs no other test file.
 */
describe('Redis out of memory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oom-'));
  let redis: EmbeddedRedis;
  /** Unprefixed: sees the app's keys as stored, and the filler keys. */
  let raw: Redis;
  let t: TestApp;
  let prefix: string;

  let manager: Account;
  let provider: Account;
  let admin: Account;
  let buyer: { id: string; auth: { Authorization: string } };
  let event: { id: string; seats: SeatRow[] };
  let restaurant: { id: string; tables: Record<string, string> };
  let reservation: Record<string, string>;
  let toCancel: string;
  let slotToReserve: string;
  let pendingAppointment: string;
  let booking: { id: string; version: number };
  let toDelete: string;

  beforeAll(async () => {
    redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, undefined, false);
    raw = new Redis(redis.url);
    t = await TestApp.start({ redisUrl: redis.url, accessTokenTtlSeconds: 86_400, retryAfterSeconds: 7 });
    t.clock.set(NOW);
    prefix = t.config.redisKeyPrefix;
    buyer = t.bearer();
    [manager, provider, admin] = await Promise.all([
      t.register('manager'),
      t.register('provider'),
      t.register('admin'),
    ]);

    event = await createEvent(t, manager, { numberOfSeats: 20, holdSeconds: 600 });
    // Seats the buyer holds before memory runs out, to reserve and to release while it is out.
    for (const seat of [event.seats[9], event.seats[12]]) {
      await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(buyer.auth).expect(200);
    }

    const created = await t
      .http()
      .post('/v1/restaurants')
      .set(manager.auth)
      .send({ name: 'Chez Monaco', timezone: 'Europe/London', openingHours: EVERY_DAY })
      .expect(201);
    restaurant = { id: created.body.id, tables: {} };
    for (const [name, seats] of [
      ['Monaco', 2],
      ['Paris', 4],
    ] as const) {
      const table = await t
        .http()
        .post(`/v1/restaurants/${restaurant.id}/tables`)
        .set(manager.auth)
        .send({ name, seats })
        .expect(201);
      restaurant.tables[name] = table.body.id;
    }
    const booked = await t
      .http()
      .post(`/v1/restaurants/${restaurant.id}/reservations`)
      .set(buyer.auth)
      .send({ start: '2026-06-12T19:00:00+01:00', partySize: 2 })
      .expect(201);
    expect(booked.body.tableId).toBe(restaurant.tables.Monaco);
    reservation = await raw.hgetall(prefix + keys.restaurantReservation(restaurant.id, booked.body.id));
    const other = await t
      .http()
      .post(`/v1/restaurants/${restaurant.id}/reservations`)
      .set(buyer.auth)
      .send({ start: '2026-06-14T19:00:00+01:00', partySize: 2 })
      .expect(201);
    toCancel = other.body.id;

    const windows = [{ start: iso(NOW + 48 * HOUR), end: iso(NOW + 49 * HOUR) }];
    const slots = await t.http().post('/v1/providers/me/availability').set(provider.auth).send({ windows }).expect(201);
    slotToReserve = slots.body.slots[0].id;
    const pending = await t
      .http()
      .post('/v1/appointments')
      .set(buyer.auth)
      .send({ slotId: slots.body.slots[1].id })
      .expect(201);
    pendingAppointment = pending.body.id;

    const created2 = await t.http().post('/v1/bookings').set(buyer.auth).send(bookingBody('Flat A')).expect(201);
    booking = { id: created2.body.id, version: created2.body.version };
    toDelete = (await t.http().post('/v1/bookings').set(buyer.auth).send(bookingBody('Flat C')).expect(201)).body.id;
  });
  afterAll(async () => {
    raw?.disconnect();
    await t?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const bookingBody = (title: string) => ({
    type: 'apartment',
    title,
    startTime: iso(NOW + 10 * 86_400_000),
    endTime: iso(NOW + 17 * 86_400_000),
  });
  const moveTo = { start: '2026-06-12T21:00:00+01:00', partySize: 3 };
  const multiHold = () =>
    t
      .http()
      .post(`/v1/events/${event.id}/holds`)
      .set(buyer.auth)
      .send({ seatIds: event.seats.slice(0, 3).map((s) => s.id) });
  const singleHold = () => t.http().post(`/v1/events/${event.id}/seats/${event.seats[4].id}/hold`).set(buyer.auth);
  const move = () =>
    t.http().patch(`/v1/restaurants/${restaurant.id}/reservations/${reservation.id}`).set(buyer.auth).send(moveTo);

  /** Every request that adds data, with its status once Redis has memory again. */
  const writes: [string, () => Test, number][] = [
    ['multi-seat hold', multiHold, 200],
    ['single-seat hold', singleHold, 200],
    ['restaurant move', move, 200],
    ['quantity hold', () => t.http().post(`/v1/events/${event.id}/holds`).set(buyer.auth).send({ quantity: 2 }), 200],
    [
      'seat reservation',
      () => t.http().post(`/v1/events/${event.id}/seats/${event.seats[9].id}/reserve`).set(buyer.auth),
      201,
    ],
    [
      'table booking',
      () =>
        t
          .http()
          .post(`/v1/restaurants/${restaurant.id}/reservations`)
          .set(buyer.auth)
          .send({ start: '2026-06-13T19:00:00+01:00', partySize: 2 }),
      201,
    ],
    ['appointment', () => t.http().post('/v1/appointments').set(buyer.auth).send({ slotId: slotToReserve }), 201],
    ['appointment confirm', () => t.http().post(`/v1/appointments/${pendingAppointment}/confirm`).set(buyer.auth), 200],
    ['appointment cancel', () => t.http().delete(`/v1/appointments/${pendingAppointment}`).set(buyer.auth), 200],
    [
      'table cancel',
      () => t.http().delete(`/v1/restaurants/${restaurant.id}/reservations/${toCancel}`).set(buyer.auth),
      200,
    ],
    [
      'availability',
      () =>
        t
          .http()
          .post('/v1/providers/me/availability')
          .set(provider.auth)
          .send({ windows: [{ start: iso(NOW + 72 * HOUR), end: iso(NOW + 73 * HOUR) }] }),
      201,
    ],
    [
      'event creation (a MULTI)',
      () => t.http().post('/v1/events').set(manager.auth).send({ name: 'Encore', numberOfSeats: 10 }),
      201,
    ],
    ['booking', () => t.http().post('/v1/bookings').set(buyer.auth).send(bookingBody('Flat B')), 201],
    [
      'booking edit',
      () =>
        t
          .http()
          .patch(`/v1/bookings/${booking.id}`)
          .set(buyer.auth)
          .set('If-Match', `"${booking.version}"`)
          .send({ title: 'Flat A, renamed' }),
      200,
    ],
    ['holding with an Idempotency-Key', () => multiHold().set('Idempotency-Key', randomUUID()), 200],
    ['logout', () => t.http().post('/v1/auth/logout').send({ refreshToken: provider.refreshToken }), 204],
    ['role change', () => t.http().patch(`/v1/users/${provider.id}`).set(admin.auth).send({ role: 'manager' }), 200],
    ['token refresh', () => t.http().post('/v1/auth/refresh').send({ refreshToken: manager.refreshToken }), 200],
    [
      'login',
      () => t.http().post('/v1/auth/login').send({ email: manager.email, password: 'correct horse battery' }),
      200,
    ],
  ];

  it('answers 503 problem+json with Retry-After to every write, and none of them stores anything', async () => {
    const filled = await fillUntilOom(raw);
    expect(filled).toBeGreaterThan(0);
    await expect(raw.set('one-more', 'x')).rejects.toThrow(/^OOM command not allowed/);

    const outcomes = [];
    for (const [name, send] of writes) {
      const before = await snapshot(raw, prefix);
      const res = await send();
      const after = await snapshot(raw, prefix);
      // Nothing half-done: not one key of the app's changed.
      const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (k) => before[k] !== after[k],
      );
      outcomes.push({ name, status: res.status, changed: changed.map((k) => k.slice(prefix.length)) });
      if (res.status === 503) {
        expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
        expect(res.headers['retry-after']).toBe('7');
        expect(JSON.stringify(res.body)).not.toMatch(/OOM|maxmemory|script/);
      }
    }
    expect(outcomes).toEqual(writes.map(([name]) => ({ name, status: 503, changed: [] })));

    // In particular: no seat of the multi-seat hold is held, the moved reservation is where it was.
    const seatState = await raw.hgetall(prefix + keys.seatState(event.id));
    for (const seat of event.seats.slice(0, 5)) expect(seatState[seat.id]).toBeUndefined();
    expect(Object.keys(seatState).sort()).toEqual([event.seats[9].id, event.seats[12].id].sort());
    expect(await raw.hgetall(prefix + keys.restaurantReservation(restaurant.id, reservation.id))).toEqual(reservation);
    // The sittings index: the reservation once, at its old table and time, and the one not cancelled still there.
    const index = await sittings();
    expect(index.filter(([member]) => member.endsWith(`|${reservation.id}`))).toEqual([
      [`${reservation.tableId}|${reservation.id}`, reservation.start],
    ]);
    expect(index.map(([member]) => member.split('|')[1]).sort()).toEqual([reservation.id, toCancel].sort());
    // Reads keep working meanwhile: Redis refuses only what would take memory.
    const reads = [
      `/v1/events/${event.id}/seats?status=all`,
      `/v1/restaurants/${restaurant.id}`,
      `/v1/restaurants/${restaurant.id}/timeslots?date=2026-06-12&partySize=2`,
      `/v1/restaurants/${restaurant.id}/reservations?date=2026-06-12`,
      `/v1/appointments/${pendingAppointment}`,
      `/v1/bookings/${booking.id}`,
      '/v1/users/me/holds',
      '/v1/notifications',
    ];
    const answers = await Promise.all(
      reads.map(async (path) => [path, (await t.http().get(path).set(buyer.auth)).status]),
    );
    expect(answers).toEqual(reads.map((path) => [path, 200]));
  });

  it('lets removals through meanwhile, each one whole (Redis takes them: they free memory)', async () => {
    const seat = event.seats[12].id;
    const released = await t.http().delete(`/v1/events/${event.id}/seats/${seat}/hold`).set(buyer.auth);
    expect(released.status).toBe(204);
    expect(await raw.hget(prefix + keys.seatState(event.id), seat)).toBeNull();
    expect(await raw.zscore(prefix + keys.userHoldsInEvent(event.id, buyer.id), seat)).toBeNull();
    expect(await raw.zscore(prefix + keys.holdExpiries(event.id), seat)).toBeNull();

    const deleted = await t.http().delete(`/v1/bookings/${toDelete}`).set(buyer.auth);
    expect(deleted.status).toBe(204);
    expect((await t.http().get(`/v1/bookings/${toDelete}`).set(buyer.auth)).status).toBe(404);
    const listed = await t.http().get('/v1/bookings').set(buyer.auth);
    expect(listed.body.items.map((b: { id: string }) => b.id)).toEqual([booking.id]);
    expect(await raw.exists(prefix + keys.bookingOwner(toDelete))).toBe(0);
    // Still out of memory: a removal frees little.
    await expect(raw.set('filler:probe', 'x')).rejects.toThrow(/^OOM/);
  });

  it('serves the same requests once memory is available again', async () => {
    await raw.config('SET', 'maxmemory', String(512 * 1024 * 1024));

    for (const [name, send, status] of writes) {
      const res = await send();
      expect({ name, status: res.status }).toEqual({ name, status });
    }

    const seatState = await raw.hgetall(prefix + keys.seatState(event.id));
    for (const seat of [...event.seats.slice(0, 3), event.seats[4]]) {
      expect(seatState[seat.id]).toMatch(new RegExp(`^H\\|${buyer.id}\\|`));
    }
    const moved = await raw.hgetall(prefix + keys.restaurantReservation(restaurant.id, reservation.id));
    expect(moved).toMatchObject({
      tableId: restaurant.tables.Paris,
      start: String(Date.parse(moveTo.start)),
      partySize: '3',
      version: String(Number(reservation.version) + 1),
    });
    // The sittings index has the moved reservation once, at its new table and time, next to the new booking.
    const index = await sittings();
    expect(index.filter(([member]) => member.endsWith(`|${reservation.id}`))).toEqual([
      [`${restaurant.tables.Paris}|${reservation.id}`, moved.start],
    ]);
    // ...and the cancelled one is gone from it: the other entry is the table booked just now.
    expect(index).toHaveLength(2);
    expect(index.some(([member]) => member.endsWith(`|${toCancel}`))).toBe(false);
  });

  async function sittings(): Promise<[string, string][]> {
    const flat = await raw.zrange(prefix + keys.restaurantSittings(restaurant.id), '0', '-1', 'WITHSCORES');
    const pairs: [string, string][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
    return pairs;
  }
});

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Caps memory a little above what is used now and writes filler keys until Redis refuses them with OOM. Then pins the
 * cap 1 MB under the memory in use: Redis hands back a little memory now and then (client buffers), which would let
 * an odd small write through at random; this way every write is refused until the cap is raised.
 */
async function fillUntilOom(raw: Redis): Promise<number> {
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await raw.info('memory'))![1]);
  await raw.config('SET', 'maxmemory-policy', 'noeviction');
  await raw.config('SET', 'maxmemory', String((await usedMemory()) + 2 * 1024 * 1024));
  const value = 'x'.repeat(64 * 1024);
  for (let written = 0; written < 1000; written++) {
    try {
      await raw.set(`filler:${written}`, value);
    } catch (error) {
      if (!/^OOM/.test((error as Error).message)) throw error;
      await raw.config('SET', 'maxmemory', String((await usedMemory()) - 1024 * 1024));
      return written;
    }
  }
  throw new Error('Redis never ran out of memory');
}

/** Every key under the prefix with its content and whether it expires: equal snapshots mean nothing changed. */
async function snapshot(raw: Redis, prefix: string): Promise<Record<string, string>> {
  const found = (await raw.keys(`${prefix}*`)).sort();
  const entries = await Promise.all(
    found.map(async (key) => {
      const [content, ttl] = await Promise.all([contentOf(raw, key), raw.pttl(key)]);
      return [key, `${ttl > 0 ? 'expiring ' : ''}${JSON.stringify(content)}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The value of a key, independent of how Redis happens to lay it out (a hash table's order changes as it rehashes). */
async function contentOf(raw: Redis, key: string): Promise<unknown> {
  const type = await raw.type(key);
  if (type === 'string') return raw.get(key);
  if (type === 'hash') return Object.entries(await raw.hgetall(key)).sort();
  if (type === 'set') return (await raw.smembers(key)).sort();
  if (type === 'list') return raw.lrange(key, 0, -1);
  if (type === 'zset') return raw.zrange(key, '0', '-1', 'WITHSCORES');
  if (type === 'stream') return raw.xrange(key, '-', '+');
  return type;
}
