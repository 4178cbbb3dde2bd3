import { RedisRestaurantsRepository } from '../../src/restaurants/redis-restaurants.repository.js';
import { encodeSitting } from '../../src/restaurants/restaurants.codec.js';
import type { RestaurantReservation } from '../../src/restaurants/restaurants.repository.js';
import type { Restaurant, Table } from '../../src/restaurants/restaurant.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { DAY, HOUR, MINUTE, NOW, bookRequest, newId, restaurant, tables } from '../support/factories.js';
import { testConfig } from '../support/test-app.js';

/**
 * The restaurants' scripts (book, move, cancel, remove a table) against Redis: the overlap rule, the per-day cap,
 * races for the last table, and commands delivered twice (ioredis re-sends unanswered commands after a reconnect).
 */
describe('RedisRestaurantsRepository', () => {
  let redis: RedisClient;
  let repo: RedisRestaurantsRepository;
  const config = testConfig();

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    repo = new RedisRestaurantsRepository(redis);
  });
  afterAll(() => redis.quit());

  /** A stored restaurant with `count` tables. */
  async function seeded(count = 1): Promise<{ r: Restaurant; ts: Table[]; sittingMs: number }> {
    const r = restaurant();
    const ts = tables(count);
    await repo.create(r);
    for (const t of ts) await repo.addTable(r.id, t);
    return { r, ts, sittingMs: r.sittingMinutes * MINUTE };
  }

  const sittingsOf = (r: Restaurant) => redis.zrange(keys.restaurantSittings(r.id), '0', '-1', 'WITHSCORES');
  const liveOf = (r: Restaurant, userId: string) => redis.zrange(keys.restaurantLiveOf(r.id, userId), '0', '-1');
  const at = NOW + DAY + 7 * HOUR;

  async function booked(r: Restaurant, ts: Table[], patch: Parameters<typeof bookRequest>[2] = {}) {
    const request = bookRequest(r, ts, { start: at, ...patch });
    const outcome = await repo.book(request);
    if (outcome === 'no-table' || outcome === 'limit') throw new Error(`setup: could not book (${outcome})`);
    return (await repo.findReservation(r.id, request.reservation.id)) as RestaurantReservation;
  }

  describe('book', () => {
    it('stores the reservation, its sitting, and its place in both indexes', async () => {
      const { r, ts } = await seeded(1);
      const request = bookRequest(r, ts, { start: at });
      const { id, userId } = request.reservation;

      expect(await repo.book(request)).toEqual({ tableId: ts[0].id });

      expect(await repo.findReservation(r.id, id)).toEqual({
        ...request.reservation,
        tableId: ts[0].id,
        status: 'booked',
        version: 1,
        updatedAt: NOW,
      });
      expect(await sittingsOf(r)).toEqual([encodeSitting({ tableId: ts[0].id, reservationId: id }), String(at)]);
      expect(await repo.sittings(r.id, at, at + 1)).toEqual([{ tableId: ts[0].id, reservationId: id, start: at }]);
      expect(await redis.zrange(keys.restaurantReservations(r.id), '0', '-1')).toEqual([id]);
      expect(await liveOf(r, userId)).toEqual([id]);
    });

    it('delivered twice books one table once, answered with the same table both times', async () => {
      const { r, ts } = await seeded(2);
      const request = bookRequest(r, ts, { start: at });
      const first = await repo.book(request);
      expect(await repo.book(request)).toEqual(first);
      expect(await sittingsOf(r)).toHaveLength(2);
      expect(await liveOf(r, request.reservation.userId)).toHaveLength(1);
      // The second table is still free for someone else.
      expect(await repo.book(bookRequest(r, ts, { start: at }))).toEqual({ tableId: ts[1].id });
    });

    it('refuses any sitting that overlaps on the table, and allows the one that starts as the other ends', async () => {
      const { r, ts, sittingMs } = await seeded(1);
      await booked(r, ts);
      for (const start of [at - sittingMs + MINUTE, at, at + sittingMs - MINUTE]) {
        expect(await repo.book(bookRequest(r, ts, { start }))).toBe('no-table');
      }
      expect(await repo.book(bookRequest(r, ts, { start: at - sittingMs }))).toEqual({ tableId: ts[0].id });
      expect(await repo.book(bookRequest(r, ts, { start: at + sittingMs }))).toEqual({ tableId: ts[0].id });
      expect(await sittingsOf(r)).toHaveLength(6);
    });

    it('takes the first free candidate in order and skips ids that are not tables of the restaurant', async () => {
      const { r, ts } = await seeded(3);
      await booked(r, [ts[0]]);
      const request = bookRequest(r, [{ ...ts[0] }, { id: newId(), name: 'gone', seats: 4 }, ts[2], ts[1]], {
        start: at,
      });
      expect(await repo.book(request)).toEqual({ tableId: ts[2].id });
    });

    it('of many concurrent bookings of the last free table exactly one wins, and only its sitting is stored', async () => {
      const { r, ts } = await seeded(1);
      const requests = Array.from({ length: 25 }, () => bookRequest(r, ts, { start: at }));
      const outcomes = await Promise.all(requests.map((q) => repo.book(q)));
      const winners = outcomes.filter((o) => o !== 'no-table');
      expect(winners).toEqual([{ tableId: ts[0].id }]);
      const winner = requests[outcomes.findIndex((o) => o !== 'no-table')].reservation;
      expect(await sittingsOf(r)).toEqual([encodeSitting({ tableId: ts[0].id, reservationId: winner.id }), String(at)]);
      expect(await redis.zcard(keys.restaurantReservations(r.id))).toBe(1);
    });

    it('with a cap, a customer racing for many tables gets exactly cap.max of them that day', async () => {
      const { r, ts } = await seeded(12);
      const userId = newId();
      const cap = { from: NOW + DAY, to: NOW + 2 * DAY, max: 2 };
      const requests = ts.map((t, i) => bookRequest(r, [t], { userId, start: at + i * 30 * MINUTE, cap }));
      const outcomes = await Promise.all(requests.map((q) => repo.book(q)));
      expect(outcomes.filter((o) => o === 'limit')).toHaveLength(10);
      expect(await liveOf(r, userId)).toHaveLength(2);
      expect(await redis.zcard(keys.restaurantSittings(r.id))).toBe(2);
      // Another day is not counted, nor another customer.
      const nextDay = { ...cap, from: cap.from + DAY, to: cap.to + DAY };
      expect(await repo.book(bookRequest(r, ts, { userId, start: at + DAY, cap: nextDay }))).toEqual({
        tableId: ts[0].id,
      });
      expect(await repo.book(bookRequest(r, [ts[11]], { start: at, cap }))).toEqual({ tableId: ts[11].id });
    });

    it('a cancelled reservation no longer counts toward the cap', async () => {
      const { r, ts } = await seeded(2);
      const userId = newId();
      const cap = { from: NOW + DAY, to: NOW + 2 * DAY, max: 1 };
      const first = await booked(r, [ts[0]], { userId, cap });
      expect(await repo.book(bookRequest(r, [ts[1]], { userId, start: at, cap }))).toBe('limit');
      await repo.cancel(r.id, first.id, userId, NOW);
      expect(await repo.book(bookRequest(r, [ts[1]], { userId, start: at, cap }))).toEqual({ tableId: ts[1].id });
    });
  });

  describe('cancel', () => {
    it('frees the table at once, leaves the customer index, keeps the reservation listed; twice is the same', async () => {
      const { r, ts } = await seeded(1);
      const b = await booked(r, ts);
      expect(await repo.cancel(r.id, b.id, b.userId, NOW + HOUR)).toBe(true);
      expect(await repo.cancel(r.id, b.id, b.userId, NOW + 2 * HOUR)).toBe(true);

      expect(await repo.findReservation(r.id, b.id)).toEqual({ ...b, status: 'cancelled', updatedAt: NOW + HOUR });
      expect(await redis.hget(keys.restaurantReservation(r.id, b.id), 'cancelledAt')).toBe(String(NOW + HOUR));
      expect(await sittingsOf(r)).toEqual([]);
      expect(await liveOf(r, b.userId)).toEqual([]);
      expect(await repo.reservations(r.id, at, at + 1)).toHaveLength(1);
      expect(await repo.book(bookRequest(r, ts, { start: at }))).toEqual({ tableId: ts[0].id });
    });

    it('answers false for a reservation that does not exist, and stores nothing', async () => {
      const { r } = await seeded(1);
      const id = newId();
      expect(await repo.cancel(r.id, id, newId(), NOW)).toBe(false);
      expect(await redis.exists(keys.restaurantReservation(r.id, id))).toBe(0);
    });
  });

  describe('move', () => {
    const change = (
      ts: Table[],
      sittingMs: number,
      patch: Partial<Parameters<RedisRestaurantsRepository['move']>[1]>,
    ) => ({
      start: at,
      end: at + sittingMs,
      partySize: 2,
      now: NOW + HOUR,
      sittingMs,
      candidates: ts.map((t) => t.id),
      cap: null,
      ...patch,
    });

    it('moves time and table together, bumps the version, and a re-delivered move changes nothing more', async () => {
      const { r, ts, sittingMs } = await seeded(2);
      const b = await booked(r, [ts[0]]);
      const to = change([ts[1]], sittingMs, { start: at + 2 * HOUR, end: at + 2 * HOUR + sittingMs, partySize: 4 });

      expect(await repo.move(b, to)).toEqual({ tableId: ts[1].id });
      const moved = await repo.findReservation(r.id, b.id);
      expect(moved).toEqual({
        ...b,
        tableId: ts[1].id,
        start: to.start,
        end: to.end,
        partySize: 4,
        version: 2,
        updatedAt: NOW + HOUR,
      });
      const stored = async () => ({
        sittings: await sittingsOf(r),
        live: await redis.zrange(keys.restaurantLiveOf(r.id, b.userId), '0', '-1', 'WITHSCORES'),
        all: await redis.zrange(keys.restaurantReservations(r.id), '0', '-1', 'WITHSCORES'),
      });
      const after = await stored();
      expect(after.sittings).toEqual([encodeSitting({ tableId: ts[1].id, reservationId: b.id }), String(to.start)]);
      expect(after.live).toEqual([b.id, String(to.start)]);
      expect(after.all).toEqual([b.id, String(to.start)]);

      // The same command again (computed from version 1) is refused as stale: the stored state does not move.
      expect(await repo.move(b, to)).toBe('changed');
      expect(await repo.findReservation(r.id, b.id)).toEqual(moved);
      expect(await stored()).toEqual(after);
    });

    it('is not blocked by its own sitting and keeps its table when that is a free candidate', async () => {
      const { r, ts, sittingMs } = await seeded(2);
      const b = await booked(r, [ts[1]]);
      const later = at + 30 * MINUTE;
      expect(await repo.move(b, change(ts, sittingMs, { start: later, end: later + sittingMs }))).toEqual({
        tableId: ts[1].id,
      });
      expect(await sittingsOf(r)).toEqual([encodeSitting({ tableId: ts[1].id, reservationId: b.id }), String(later)]);
    });

    it('refuses a table another live sitting overlaps, and a cancelled or unknown reservation, changing nothing', async () => {
      const { r, ts, sittingMs } = await seeded(2);
      const mine = await booked(r, [ts[0]]);
      await booked(r, [ts[1]], { start: at + 2 * HOUR });
      const onto = change([ts[1]], sittingMs, { start: at + HOUR, end: at + HOUR + sittingMs });
      expect(await repo.move(mine, onto)).toBe('no-table');
      expect(await repo.findReservation(r.id, mine.id)).toEqual(mine);

      expect(await repo.move({ ...mine, id: newId() }, onto)).toBe('missing');
      await repo.cancel(r.id, mine.id, mine.userId, NOW);
      const cancelled = (await repo.findReservation(r.id, mine.id)) as RestaurantReservation;
      expect(await repo.move(cancelled, change([ts[0]], sittingMs, {}))).toBe('cancelled');
      expect(await sittingsOf(r)).toHaveLength(2);
    });

    it('of many moves of one reservation computed from the same read exactly one applies', async () => {
      const { r, ts, sittingMs } = await seeded(10);
      const b = await booked(r, [ts[0]]);
      const outcomes = await Promise.all(
        ts
          .slice(1)
          .map((t, i) =>
            repo.move(b, change([t], sittingMs, { start: at + (i + 1) * HOUR, end: at + (i + 1) * HOUR + sittingMs })),
          ),
      );
      expect(outcomes.filter((o) => o !== 'changed')).toHaveLength(1);
      expect(await redis.zcard(keys.restaurantSittings(r.id))).toBe(1);
      expect((await repo.findReservation(r.id, b.id))?.version).toBe(2);
    });

    it('of many reservations moving onto one free table at one time exactly one gets it', async () => {
      const { r, ts, sittingMs } = await seeded(13);
      const target = ts[12];
      const moving = await Promise.all(ts.slice(0, 12).map((t) => booked(r, [t], { start: at + 4 * HOUR })));
      const outcomes = await Promise.all(moving.map((b) => repo.move(b, change([target], sittingMs, {}))));
      expect(outcomes.filter((o) => o !== 'no-table')).toEqual([{ tableId: target.id }]);
      const onTarget = (await repo.sittings(r.id, 0, Number.MAX_SAFE_INTEGER)).filter((s) => s.tableId === target.id);
      expect(onTarget).toHaveLength(1);
    });

    it("with a cap, counts the customer's other reservations of the target day but not itself", async () => {
      const { r, ts, sittingMs } = await seeded(3);
      const userId = newId();
      const cap = { from: NOW + DAY, to: NOW + 2 * DAY, max: 1 };
      const today = await booked(r, [ts[0]], { userId });
      const tomorrow = await booked(r, [ts[1]], { userId, start: at + DAY });
      // Within its own day: the reservation itself does not count.
      expect(
        await repo.move(today, change(ts, sittingMs, { start: at + HOUR, end: at + HOUR + sittingMs, cap })),
      ).toEqual({
        tableId: ts[0].id,
      });
      // Onto a day where the customer has another one already.
      const nextDay = { from: NOW + 2 * DAY, to: NOW + 3 * DAY, max: 1 };
      const current = (await repo.findReservation(r.id, today.id)) as RestaurantReservation;
      expect(
        await repo.move(
          current,
          change(ts, sittingMs, { start: at + DAY + 3 * HOUR, end: at + DAY + 3 * HOUR + sittingMs, cap: nextDay }),
        ),
      ).toBe('limit');
      expect(await repo.findReservation(r.id, today.id)).toEqual(current);
      expect(await liveOf(r, userId)).toEqual([current.id, tomorrow.id]);
    });
  });

  describe('removeTable', () => {
    it('refuses while a sitting has not ended, removes once it has, and answers missing after', async () => {
      const { r, ts, sittingMs } = await seeded(1);
      await booked(r, ts);
      expect(await repo.removeTable(r.id, ts[0].id, at + sittingMs - 1, sittingMs)).toBe('busy');
      expect(await redis.hexists(keys.restaurantTables(r.id), ts[0].id)).toBe(1);
      expect(await repo.removeTable(r.id, ts[0].id, at + sittingMs, sittingMs)).toBe('removed');
      expect(await redis.hexists(keys.restaurantTables(r.id), ts[0].id)).toBe(0);
      expect(await repo.removeTable(r.id, ts[0].id, at + sittingMs, sittingMs)).toBe('missing');
    });

    it('racing bookings of the table: either it is removed and nobody booked it, or it stays with their sittings', async () => {
      const { r, ts, sittingMs } = await seeded(1);
      const requests = Array.from({ length: 10 }, (_, i) => bookRequest(r, ts, { start: at + i * sittingMs }));
      const [removed, ...outcomes] = await Promise.all([
        repo.removeTable(r.id, ts[0].id, NOW, sittingMs),
        ...requests.map((q) => repo.book(q)),
      ]);
      const bookedCount = outcomes.filter((o) => o !== 'no-table').length;
      const stays = await redis.hexists(keys.restaurantTables(r.id), ts[0].id);
      if (removed === 'removed') {
        // Removed before any booking ran (one before it would have made it busy), so none could book it after.
        expect(stays).toBe(0);
        expect(bookedCount).toBe(0);
        expect(await redis.zcard(keys.restaurantSittings(r.id))).toBe(0);
      } else {
        expect(removed).toBe('busy');
        expect(stays).toBe(1);
        expect(bookedCount).toBeGreaterThan(0);
      }
    });
  });
});
