import { randomUUID } from 'node:crypto';
import type { Invariant } from '../../src/integrity-checks.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { scanKeys } from '../../src/redis/scan-keys.js';
import { APPOINTMENTS_PLANTS, seedAppointments } from './appointments-integrity.js';
import type { SeededAppointments } from './appointments-integrity.js';
import { BOOKINGS_PLANTS, seedBookings } from './bookings-integrity.js';
import type { SeededBookings } from './bookings-integrity.js';
import { EVENTS_PLANTS, seedEvents } from './events-integrity.js';
import type { SeededEvent } from './events-integrity.js';
import { T0 } from './integrity-base.js';
import type { Plant } from './integrity-base.js';
import { RESTAURANTS_PLANTS, seedRestaurants } from './restaurants-integrity.js';
import type { SeededRestaurant } from './restaurants-integrity.js';
import type { Account, TestApp } from './test-app.js';
import { USERS_PLANTS, seedUsers } from './users-integrity.js';
import { WAITLIST_PLANTS, seedWaitlist } from './waitlist-integrity.js';
import type { SeededWaitlist } from './waitlist-integrity.js';

export { T0 } from './integrity-base.js';
export type { Plant } from './integrity-base.js';

/** What seedAllDomains made, for plants that need real ids. States are as of the clock when it returns. */
export interface Seeded {
  readonly alice: Account;
  readonly bob: Account;
  readonly carol: Account;
  readonly manager: Account;
  readonly provider: Account;
  readonly event: SeededEvent;
  readonly waitlist: SeededWaitlist;
  readonly restaurant: SeededRestaurant;
  readonly appointments: SeededAppointments;
  readonly bookings: SeededBookings;
}

/**
 * Clean data in all four domains, made only through the HTTP API (and the expiry sweeper, as the service runs it):
 * creates, repeats, edits, moves, cancels, expiries, takeovers of lapsed holds and small races. Each module seeds its
 * own part (test/support/<module>-integrity.ts). The clock starts at T0 and ends about 32 minutes later.
 */
export async function seedAllDomains(t: TestApp): Promise<Seeded> {
  t.clock.set(T0);
  const [alice, bob, carol, dave, manager, provider] = await Promise.all([
    t.register(),
    t.register(),
    t.register(),
    t.register(),
    t.register('manager'),
    t.register('provider'),
  ]);
  const people = { alice, bob, carol, dave, manager, provider };
  await seedUsers(t);
  const bookings = await seedBookings(t, people);
  const restaurant = await seedRestaurants(t, people);
  const appointments = await seedAppointments(t, people);
  const waitlist = await seedWaitlist(t, people);
  const event = await seedEvents(t, people);
  return { alice, bob, carol, manager, provider, event, waitlist, restaurant, appointments, bookings };
}

/** A planted violation for every invariant: each module's table, then the engine's own. */
export const PLANTS: Record<Invariant, Plant> = {
  ...EVENTS_PLANTS,
  ...WAITLIST_PLANTS,
  ...RESTAURANTS_PLANTS,
  ...APPOINTMENTS_PLANTS,
  ...BOOKINGS_PLANTS,
  ...USERS_PLANTS,
  'key-wrong-type': (s, r) => r.set(keys.userBookingsOfType(s.alice.id, 'show'), 'not a sorted set'),
};

/** Every key of the client's prefix with its value and time to live; the returned function puts them all back. */
export async function snapshot(redis: RedisClient): Promise<() => Promise<void>> {
  const saved = new Map<string, { dump: Buffer; pttl: number }>();
  for await (const page of scanKeys(redis, '*')) {
    for (const key of page) {
      const [dump, pttl] = await Promise.all([redis.dumpBuffer(key), redis.pttl(key)]);
      if (dump) saved.set(key, { dump, pttl });
    }
  }
  return async () => {
    for await (const page of scanKeys(redis, '*')) {
      const extra = page.filter((key) => !saved.has(key));
      if (extra.length > 0) await Promise.all(extra.map((key) => redis.del(key)));
    }
    await Promise.all(
      [...saved].map(([key, { dump, pttl }]) => redis.restore(key, pttl > 0 ? pttl : 0, dump, 'REPLACE')),
    );
  };
}

export const someId = () => randomUUID();
