import { randomUUID } from 'node:crypto';
import { keys } from '../../src/redis/keys.js';
import { encodeSitting } from '../../src/restaurants/restaurants.codec.js';
import type { RESTAURANTS_INVARIANTS } from '../../src/restaurants/restaurants.integrity.js';
import type { People, Plant } from './integrity-base.js';
import { iso, ok } from './integrity-base.js';
import type { TestApp } from './test-app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface SeededRestaurant {
  readonly id: string;
  readonly tables: Record<'A' | 'B' | 'D', string>;
  /** Alice's live reservation on table A (moved to 19:30). */
  readonly aliceReservation: { id: string; start: number };
}

/** Restaurants: book, book, move, cancel, book again, a table removed, a race for the last big table. */
export async function seedRestaurants(t: TestApp, { alice, bob, carol, manager }: People): Promise<SeededRestaurant> {
  const http = () => t.http();
  const restaurant = ok(
    await http()
      .post('/v1/restaurants')
      .set(manager.auth)
      .send({
        name: 'Chez Integrity',
        timezone: 'Europe/London',
        openingHours: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
          day,
          opens: '18:00',
          closes: '23:00',
        })),
      }),
    201,
  ).body;
  const table = async (name: string, seats: number) =>
    ok(await http().post(`/v1/restaurants/${restaurant.id}/tables`).set(manager.auth).send({ name, seats }), 201).body
      .id as string;
  const tables = { A: await table('A', 2), B: await table('B', 4), C: await table('C', 6), D: await table('D', 6) };
  const reservations = `/v1/restaurants/${restaurant.id}/reservations`;
  const evening = Date.parse('2030-01-08T18:00:00Z');
  const reserve = (who: { auth: Record<string, string> }, start: number, partySize: number) =>
    http()
      .post(reservations)
      .set(who.auth)
      .send({ start: iso(start), partySize });
  const aliceReservation = ok(await reserve(alice, evening, 2), 201).body;
  const bobReservation = ok(await reserve(bob, evening, 2), 201).body;
  ok(
    await http()
      .patch(`${reservations}/${aliceReservation.id}`)
      .set(alice.auth)
      .send({ start: iso(evening + 90 * MIN) }),
    200,
  );
  ok(await http().delete(`${reservations}/${bobReservation.id}`).set(bob.auth), 200, 204);
  ok(await reserve(carol, evening, 4), 201);
  ok(await http().delete(`/v1/restaurants/${restaurant.id}/tables/${tables.C}`).set(manager.auth), 204);
  const diners = Array.from({ length: 6 }, () => t.bearer());
  const race = await Promise.all(diners.map((d) => reserve(d, evening + 2 * HOUR, 5)));
  if (race.filter((r) => r.status === 201).length !== 1) throw new Error('expected one winner of the last table');
  return {
    id: restaurant.id,
    tables: { A: tables.A, B: tables.B, D: tables.D },
    aliceReservation: { id: aliceReservation.id, start: evening + 90 * MIN },
  };
}

/** One planted violation per invariant of restaurants (src/restaurants/restaurants.integrity.ts). */
export const RESTAURANTS_PLANTS: Record<keyof typeof RESTAURANTS_INVARIANTS, Plant> = {
  'restaurant-table-overlap': async (s, r, now) => {
    // A second live reservation on alice's table, half an hour into hers: what a booking script without the
    // overlap check would write.
    const { id: restaurantId, tables, aliceReservation } = s.restaurant;
    const [id, start] = [randomUUID(), aliceReservation.start + 30 * MIN];
    await r.hset(keys.restaurantReservation(restaurantId, id), {
      id,
      userId: s.carol.id,
      tableId: tables.A,
      start,
      end: start + 90 * MIN,
      partySize: 2,
      guestName: '',
      notes: '',
      status: 'booked',
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await r.zadd(keys.restaurantSittings(restaurantId), start, encodeSitting({ tableId: tables.A, reservationId: id }));
    await r.zadd(keys.restaurantReservations(restaurantId), start, id);
  },
  'restaurant-sitting-orphan': (s, r) =>
    r.zadd(
      keys.restaurantSittings(s.restaurant.id),
      s.restaurant.aliceReservation.start,
      encodeSitting({ tableId: s.restaurant.tables.B, reservationId: randomUUID() }),
    ),
  'restaurant-sitting-missing': (s, r) =>
    r.zrem(
      keys.restaurantSittings(s.restaurant.id),
      encodeSitting({ tableId: s.restaurant.tables.A, reservationId: s.restaurant.aliceReservation.id }),
    ),
  'restaurant-reservations-orphan': (s, r) =>
    r.zadd(keys.restaurantReservations(s.restaurant.id), s.restaurant.aliceReservation.start, randomUUID()),
  'restaurant-reservations-missing': (s, r) =>
    r.zrem(keys.restaurantReservations(s.restaurant.id), s.restaurant.aliceReservation.id),
  'restaurant-live-of-orphan': (s, r) =>
    // Alice's reservation counted against carol's daily cap: a move that wrote the wrong customer's index.
    r.zadd(
      keys.restaurantLiveOf(s.restaurant.id, s.carol.id),
      s.restaurant.aliceReservation.start,
      s.restaurant.aliceReservation.id,
    ),
};
