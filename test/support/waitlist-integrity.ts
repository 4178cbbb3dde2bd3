import { randomUUID } from 'node:crypto';
import type { WAITLIST_INVARIANTS } from '../../src/events/waitlist.integrity.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from './events.js';
import type { People, Plant } from './integrity-base.js';
import { ok } from './integrity-base.js';
import type { TestApp } from './test-app.js';

const MIN = 60_000;

export interface SeededWaitlist {
  readonly id: string;
  /** 10 seats: 0 offered to bob and reserved, 9 offered to bob and held, 1 free, 2-8 held by alice. */
  readonly seats: string[];
  /** Carol's entry, waiting for 2 seats of any category. */
  readonly waitingEntry: string;
}

/**
 * A waiting line through the API: a sold-out event, two entries, a release that offers two seats to the first, one
 * of them reserved, and a release too small for the second entry. Holds last an hour, so later seeds' sweeps leave
 * them alone.
 */
export async function seedWaitlist(t: TestApp, { alice, bob, carol, manager }: People): Promise<SeededWaitlist> {
  const http = () => t.http();
  const event = await createEvent(t, manager, { numberOfSeats: 10, holdSeconds: 3600 });
  const seats = event.seats.map((s) => s.id);
  const path = (rest: string) => `/v1/events/${event.id}${rest}`;
  ok(
    await http()
      .post(path('/holds'))
      .set(alice.auth)
      .send({ seatIds: seats.slice(0, 9) }),
    200,
  );
  ok(await http().post(path('/waitlist')).set(bob.auth).send({ quantity: 2 }), 201);
  const waiting = await http().post(path('/waitlist')).set(carol.auth).send({ quantity: 2 });
  ok(waiting, 201);
  ok(
    await http()
      .delete(path(`/seats/${seats[0]}/hold`))
      .set(alice.auth),
    204,
  );
  ok(
    await http()
      .post(path(`/seats/${seats[0]}/reserve`))
      .set(bob.auth),
    201,
  );
  ok(
    await http()
      .delete(path(`/seats/${seats[1]}/hold`))
      .set(alice.auth),
    204,
  );
  return { id: event.id, seats, waitingEntry: waiting.body.entryId as string };
}

/** One planted violation per invariant of the free index, the offers and the line (src/events/waitlist.integrity.ts). */
export const WAITLIST_PLANTS: Record<keyof typeof WAITLIST_INVARIANTS, Plant> = {
  'free-seat-missing': (s, r) => r.zrem(keys.freeSeats(s.waitlist.id, 'general'), s.waitlist.seats[1]),
  'free-seat-orphan': (s, r) => r.zadd(keys.freeSeats(s.waitlist.id, 'general'), 2, s.waitlist.seats[2]),
  'offer-orphan': (s, r, now) =>
    r.hset(keys.seatOffers(s.waitlist.id), s.waitlist.seats[3], `${s.bob.id}|${randomUUID()}|${now + MIN}`),
  'offer-entry-waiting': async (s, r) => {
    const [userId, , until] = (await r.hget(keys.seatOffers(s.waitlist.id), s.waitlist.seats[9]))!.split('|');
    await r.hset(keys.seatOffers(s.waitlist.id), s.waitlist.seats[9], `${userId}|${s.waitlist.waitingEntry}|${until}`);
  },
  'waitlist-entry-invalid': (s, r) => r.zrem(keys.waitlistLine(s.waitlist.id, '2:'), s.waitlist.waitingEntry),
};
