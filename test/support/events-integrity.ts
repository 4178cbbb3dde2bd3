import { randomUUID } from 'node:crypto';
import type { EVENTS_INVARIANTS } from '../../src/events/events.integrity.js';
import { encodeSeatReservation } from '../../src/events/seat-state.codec.js';
import { SeatsRepository } from '../../src/events/seats.repository.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from './events.js';
import type { People, Plant } from './integrity-base.js';
import { ok } from './integrity-base.js';
import type { TestApp } from './test-app.js';

const MIN = 60_000;

export interface SeededEvent {
  readonly id: string;
  /** 12 seats: 0 and 2 reserved by alice, 1 held by alice, 7 held by bob, 11 never touched. */
  readonly seats: string[];
}

/**
 * Events and seats: reserve one, hold two and reserve one of them, release, a quantity hold, a lapsed hold taken
 * over, the sweeper, a renewal, a race. Seeded last, so that holds are live when the seed returns.
 */
export async function seedEvents(t: TestApp, { alice, bob, carol, dave, manager }: People): Promise<SeededEvent> {
  const http = () => t.http();
  const event = await createEvent(t, manager, { numberOfSeats: 12 });
  const seats = event.seats.map((s) => s.id);
  const seat = (n: number) => `/v1/events/${event.id}/seats/${seats[n]}`;
  const hold = (who: { auth: Record<string, string> }, n: number) =>
    http()
      .post(`${seat(n)}/hold`)
      .set(who.auth);
  ok(await hold(alice, 0), 200);
  ok(
    await http()
      .post(`${seat(0)}/reserve`)
      .set(alice.auth),
    201,
  );
  ok(
    await http()
      .post(`/v1/events/${event.id}/holds`)
      .set(alice.auth)
      .send({ seatIds: [seats[1], seats[2]] }),
    200,
  );
  ok(
    await http()
      .post(`/v1/events/${event.id}/reservations`)
      .set(alice.auth)
      .send({ seatIds: [seats[2]] }),
    200,
    201,
  );
  ok(await hold(bob, 3), 200);
  ok(
    await http()
      .delete(`${seat(3)}/hold`)
      .set(bob.auth),
    204,
  );
  ok(await http().post(`/v1/events/${event.id}/holds`).set(carol.auth).send({ quantity: 2, adjacent: true }), 200);
  ok(await hold(dave, 6), 200);
  t.clock.advance(61_000);
  ok(await hold(carol, 6), 200);
  await t.app.get(SeatsRepository).expireDue(t.clock.now(), 100);
  ok(await hold(alice, 1), 200);
  ok(await hold(bob, 7), 200);
  t.clock.advance(10_000);
  ok(await hold(bob, 7), 200);
  const buyers = Array.from({ length: 8 }, () => t.bearer());
  const rush = await Promise.all(buyers.map((b) => hold(b, 8)));
  const first = rush.findIndex((r) => r.status === 200);
  if (first < 0 || rush.filter((r) => r.status === 200).length !== 1) throw new Error('expected one holder');
  ok(
    await http()
      .post(`${seat(8)}/reserve`)
      .set(buyers[first].auth),
    201,
  );
  return { id: event.id, seats };
}

/** One planted violation per invariant of events and seats (src/events/events.integrity.ts). */
export const EVENTS_PLANTS: Record<keyof typeof EVENTS_INVARIANTS, Plant> = {
  'seat-state-invalid': (s, r) => r.hset(keys.seatState(s.event.id), s.event.seats[11], 'garbage'),
  'seat-double-hold': async (s, r, now) => {
    // Bob also "holds" seat 1, which alice holds: as if the hold script had not looked at the seat state.
    await r.zadd(keys.userHoldsInEvent(s.event.id, s.bob.id), now + 5 * MIN, s.event.seats[1]);
    await r.zadd(keys.userHoldEvents(s.bob.id), 'GT', now + 5 * MIN, s.event.id);
  },
  'seat-reserved-and-held': async (s, r, now) => {
    await r.zadd(keys.userHoldsInEvent(s.event.id, s.bob.id), now + 5 * MIN, s.event.seats[0]);
    await r.zadd(keys.userHoldEvents(s.bob.id), 'GT', now + 5 * MIN, s.event.id);
  },
  'seat-hold-mismatch': async (s, r, now) => {
    await r.zadd(keys.userHoldsInEvent(s.event.id, s.bob.id), now + 5 * MIN, s.event.seats[11]);
    await r.zadd(keys.userHoldEvents(s.bob.id), 'GT', now + 5 * MIN, s.event.id);
  },
  'hold-expiry-orphan': (s, r, now) => r.zadd(keys.holdExpiries(s.event.id), now + 10 * MIN, s.event.seats[11]),
  'hold-expiry-missing': (s, r) => r.zrem(keys.holdExpiries(s.event.id), s.event.seats[1]),
  'expiring-events-orphan': (s, r, now) => r.zadd(keys.expiringEvents(), now, randomUUID()),
  'expiring-events-missing': (s, r) => r.zrem(keys.expiringEvents(), s.event.id),
  'user-hold-events-orphan': (s, r, now) => r.zadd(keys.userHoldEvents(s.alice.id), now + MIN, randomUUID()),
  'user-hold-events-missing': (s, r) => r.zrem(keys.userHoldEvents(s.alice.id), s.event.id),
  'user-seat-reservation-orphan': (s, r, now) =>
    r.zadd(
      keys.userSeatReservations(s.bob.id),
      0,
      encodeSeatReservation({ eventId: s.event.id, seatId: s.event.seats[11], at: now }),
    ),
  'user-seat-reservation-missing': async (s, r) => {
    const [member] = await r.zrange(keys.userSeatReservations(s.alice.id), '0', '0');
    await r.zrem(keys.userSeatReservations(s.alice.id), member);
  },
  // Venues (issue 19).
  'seat-meta-invalid': (s, r) => r.hset(keys.seatMeta(s.event.id), randomUUID(), 'general|12|0.0|12|0'),
  'seat-meta-missing': (s, r) => r.hdel(keys.seatMeta(s.event.id), s.event.seats[11]),
  // Seat 12 (never touched) in position 10 of its row: the chart has it at 11.
  'seat-meta-mismatch': (s, r) => r.hset(keys.seatMeta(s.event.id), s.event.seats[11], 'general|11|0.0|10|0'),
  // Seat 1, reserved by alice as `general`, recorded as another category.
  'reservation-category-mismatch': async (s, r) => {
    const value = (await r.hget(keys.seatState(s.event.id), s.event.seats[0]))!;
    await r.hset(keys.seatState(s.event.id), s.event.seats[0], value.replace('|general|', '|other|'));
  },
  'category-invalid': (s, r) => r.hset(keys.eventCategories(s.event.id), 'vip', '{"name":"VIP","price":null}'),
  'category-missing': (s, r) => r.hdel(keys.eventCategories(s.event.id), 'general'),
  'layout-mismatch': (s, r) => r.hset(keys.event(s.event.id), 'layoutEtag', '"not-the-chart"'),
  'venue-orphan': (s, r) => r.hset(keys.eventCategories(randomUUID()), 'general', '{"name":"General","price":null}'),
};
