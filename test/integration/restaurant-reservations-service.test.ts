import type { AuthUser } from '../../src/auth/auth-user.js';
import { ManualClock } from '../../src/common/clock.js';
import { NotFoundError, ValidationFailedError } from '../../src/common/domain-error.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { BullReminders } from '../../src/notifications/bull-reminders.js';
import { Notifier } from '../../src/notifications/notifier.js';
import { RedisInboxRepository } from '../../src/notifications/redis-inbox.repository.js';
import { RedisLiveEvents } from '../../src/notifications/redis-live-events.js';
import { ChannelSubscriber } from '../../src/redis/channel-subscriber.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { RedisRestaurantsRepository } from '../../src/restaurants/redis-restaurants.repository.js';
import { RestaurantReservationsService } from '../../src/restaurants/restaurant-reservations.service.js';
import type { Restaurant, Table } from '../../src/restaurants/restaurant.js';
import {
  NoTableAvailableError,
  NotATimeslotError,
  PartyTooLargeError,
  ReservationCancelledError,
  ReservationLimitReachedError,
  TableUnavailableError,
} from '../../src/restaurants/restaurants.errors.js';
import { restaurantsScripts } from '../../src/restaurants/restaurants.scripts.js';
import { DAY, HOUR, NOW, newId, restaurant, tables } from '../support/factories.js';
import { deliveredTwice } from '../support/redelivery.js';
import { testConfig } from '../support/test-app.js';

/**
 * RestaurantReservationsService with its real Redis repository, the real notifier and a clock that stands still:
 * the domain errors of booking, moving and cancelling, decided by the scripts against real data.
 */
describe('RestaurantReservationsService', () => {
  let redis: RedisClient;
  let reminders: BullReminders;
  let service: RestaurantReservationsService;
  let repo: RedisRestaurantsRepository;
  const clock = new ManualClock(NOW);
  const config = testConfig({ restaurantMaxReservationsPerDay: 2 });

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    repo = new RedisRestaurantsRepository(redis);
    reminders = new BullReminders(config, clock);
    const live = new RedisLiveEvents(redis, new ChannelSubscriber(redis), clock);
    const notifier = new Notifier(live, reminders, config, new RedisInboxRepository(redis), clock);
    service = new RestaurantReservationsService(repo, clock, config, notifier, new Metrics());
  });
  afterAll(async () => {
    await reminders.onApplicationShutdown();
    await redis.quit();
  });

  /** Tomorrow 19:00 UTC: one of the factory restaurant's timeslots. */
  const evening = NOW + DAY + 9 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const customer = (): AuthUser => ({ id: newId(), role: 'customer' });

  /** A stored restaurant with a 2-seat, a 4-seat and a 6-seat table, and its manager. */
  async function seeded(): Promise<{ r: Restaurant; ts: Table[]; manager: AuthUser }> {
    const r = restaurant();
    const ts = [...tables(1, 2), ...tables(1, 4), ...tables(1, 6)];
    await repo.create(r);
    for (const t of ts) await repo.addTable(r.id, t);
    return { r, ts, manager: { id: r.managerId, role: 'manager' } };
  }

  describe('book', () => {
    it('gives the party the smallest free table that seats it, and stores the reservation', async () => {
      const { r, ts } = await seeded();
      const me = customer();
      const view = await service.book(r.id, { start: iso(evening), partySize: 3 }, me);
      expect(view).toMatchObject({ tableId: ts[1].id, userId: me.id, start: iso(evening), status: 'booked' });
      expect(await repo.findReservation(r.id, view.id)).toMatchObject({ tableId: ts[1].id, createdAt: NOW });
    });

    it('refuses a start in the past, off the timeslots, at an unknown restaurant, or a party no table seats', async () => {
      const { r, ts } = await seeded();
      const me = customer();
      await expect(service.book(r.id, { start: iso(NOW - HOUR), partySize: 2 }, me)).rejects.toThrow(
        ValidationFailedError,
      );
      await expect(service.book(r.id, { start: iso(evening + 10 * 60_000), partySize: 2 }, me)).rejects.toThrow(
        NotATimeslotError,
      );
      await expect(service.book(newId(), { start: iso(evening), partySize: 2 }, me)).rejects.toThrow(NotFoundError);
      await expect(service.book(r.id, { start: iso(evening), partySize: 7 }, me)).rejects.toThrow(PartyTooLargeError);
      await expect(service.book(r.id, { start: iso(evening), partySize: 3, tableId: ts[0].id }, me)).rejects.toThrow(
        PartyTooLargeError,
      );
      expect(await redis.zcard(keys.restaurantReservations(r.id))).toBe(0);
    });

    it('a taken named table is unavailable; when every fitting table is taken there is no table', async () => {
      const { r, ts } = await seeded();
      await service.book(r.id, { start: iso(evening), partySize: 6 }, customer());
      await expect(
        service.book(r.id, { start: iso(evening), partySize: 2, tableId: ts[2].id }, customer()),
      ).rejects.toThrow(TableUnavailableError);
      await service.book(r.id, { start: iso(evening), partySize: 4 }, customer());
      await expect(service.book(r.id, { start: iso(evening), partySize: 3 }, customer())).rejects.toThrow(
        NoTableAvailableError,
      );
    });

    it("caps a customer's live reservations per local day, but not the restaurant's manager", async () => {
      const { r, manager } = await seeded();
      const me = customer();
      await service.book(r.id, { start: iso(evening), partySize: 2 }, me);
      await service.book(r.id, { start: iso(evening), partySize: 2 }, me);
      await expect(service.book(r.id, { start: iso(evening), partySize: 2 }, me)).rejects.toMatchObject(
        new ReservationLimitReachedError(2),
      );
      await service.book(r.id, { start: iso(evening + 2 * HOUR), partySize: 2 }, manager);
      await service.book(r.id, { start: iso(evening + 2 * HOUR), partySize: 2 }, manager);
      await service.book(r.id, { start: iso(evening + 2 * HOUR), partySize: 2 }, manager);
    });
  });

  describe('move', () => {
    it('moves to another time, keeping the table when it still fits', async () => {
      const { r } = await seeded();
      const me = customer();
      const booked = await service.book(r.id, { start: iso(evening), partySize: 2 }, me);
      const moved = await service.move(r.id, booked.id, { start: iso(evening + HOUR) }, me);
      expect(moved).toMatchObject({ tableId: booked.tableId, start: iso(evening + HOUR) });
      expect(await repo.findReservation(r.id, booked.id)).toMatchObject({ version: 2, start: evening + HOUR });
    });

    it("to another day counts that day's cap; a move within the day does not", async () => {
      const { r } = await seeded();
      const me = customer();
      const today = await service.book(r.id, { start: iso(evening), partySize: 2 }, me);
      await service.book(r.id, { start: iso(evening + DAY), partySize: 2 }, me);
      await service.book(r.id, { start: iso(evening + DAY + HOUR), partySize: 2 }, me);
      await service.move(r.id, today.id, { start: iso(evening + 30 * 60_000) }, me);
      await expect(service.move(r.id, today.id, { start: iso(evening + DAY + 2 * HOUR) }, me)).rejects.toThrow(
        ReservationLimitReachedError,
      );
    });

    it('of concurrent moves of one reservation each is reapplied to the fresh read, none is lost', async () => {
      const { r } = await seeded();
      const me = customer();
      const booked = await service.book(r.id, { start: iso(evening), partySize: 2 }, me);
      const results = await Promise.allSettled([
        service.move(r.id, booked.id, { start: iso(evening + HOUR) }, me),
        service.move(r.id, booked.id, { partySize: 3 }, me),
        service.move(r.id, booked.id, { partySize: 1 }, me),
      ]);
      // Three moves need at most three rounds, within the service's attempts: all apply, one after another.
      expect(results.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(await repo.findReservation(r.id, booked.id)).toMatchObject({ version: 4, start: evening + HOUR });
      expect(await redis.zcard(keys.restaurantSittings(r.id))).toBe(1);
    });

    it("someone else's reservation is not found; a cancelled one cannot move", async () => {
      const { r } = await seeded();
      const me = customer();
      const booked = await service.book(r.id, { start: iso(evening), partySize: 2 }, me);
      await expect(service.move(r.id, booked.id, { partySize: 1 }, customer())).rejects.toThrow(NotFoundError);
      await service.cancel(r.id, booked.id, me);
      await expect(service.move(r.id, booked.id, { partySize: 1 }, me)).rejects.toThrow(ReservationCancelledError);
    });
  });

  it('a book and a move re-sent after a lost reply answer as if sent once, with one sitting stored', async () => {
    const { r, ts } = await seeded();
    const me = customer();
    const booked = await deliveredTwice(redis, restaurantsScripts.book, () =>
      service.book(r.id, { start: iso(evening), partySize: 2 }, me),
    );
    expect(booked.tableId).toBe(ts[0].id);
    // The re-sent move finds the reservation moved (a newer version) and the service reapplies the change to it.
    const moved = await deliveredTwice(redis, restaurantsScripts.move, () =>
      service.move(r.id, booked.id, { start: iso(evening + HOUR), partySize: 3 }, me),
    );
    expect(moved).toMatchObject({ tableId: ts[1].id, start: iso(evening + HOUR), partySize: 3 });
    expect(await repo.sittings(r.id, 0, Number.MAX_SAFE_INTEGER)).toEqual([
      { tableId: ts[1].id, reservationId: booked.id, start: evening + HOUR },
    ]);
    expect(await redis.zrange(keys.restaurantLiveOf(r.id, me.id), '0', '-1')).toEqual([booked.id]);
  });

  describe('cancel', () => {
    it('frees the table for the next customer; cancelling again answers the cancelled reservation', async () => {
      const { r, ts, manager } = await seeded();
      const me = customer();
      const booked = await service.book(r.id, { start: iso(evening), partySize: 6 }, me);
      clock.advance(HOUR);
      try {
        const cancelled = await service.cancel(r.id, booked.id, me);
        expect(cancelled).toMatchObject({ id: booked.id, status: 'cancelled' });
        expect(await service.cancel(r.id, booked.id, manager)).toEqual(cancelled);
        expect(await redis.hget(keys.restaurantReservation(r.id, booked.id), 'cancelledAt')).toBe(String(NOW + HOUR));
        const next = await service.book(r.id, { start: iso(evening), partySize: 6 }, customer());
        expect(next.tableId).toBe(ts[2].id);
      } finally {
        clock.set(NOW);
      }
    });
  });

  it('lists a day: every reservation for the manager, only their own for a customer', async () => {
    const { r, manager } = await seeded();
    const me = customer();
    const mine = await service.book(r.id, { start: iso(evening), partySize: 2 }, me);
    await service.book(r.id, { start: iso(evening), partySize: 4 }, customer());
    const date = iso(evening).slice(0, 10);
    expect((await service.reservations(r.id, date, me)).map((v) => v.id)).toEqual([mine.id]);
    expect(await service.reservations(r.id, date, manager)).toHaveLength(2);
  });
});
