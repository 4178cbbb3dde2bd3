import { randomUUID } from 'node:crypto';
import { adminBookingMember, bookingMember } from '../../src/bookings/bookings.codec.js';
import type { BOOKINGS_INVARIANTS } from '../../src/bookings/bookings.integrity.js';
import { keys } from '../../src/redis/keys.js';
import type { People, Plant } from './integrity-base.js';
import { T0, iso, ok } from './integrity-base.js';
import type { TestApp } from './test-app.js';

const DAY = 86_400_000;

export interface SeededBookings {
  /** Alice's, edited twice: now a vehicle booking starting at `start`. */
  readonly kept: { id: string; start: number };
  /** Alice's, deleted (its tombstone lasts a minute). */
  readonly deleted: { id: string; start: number };
}

/** Holiday bookings: create, identical create, two edits (the second changes type and start), delete, a race. */
export async function seedBookings(t: TestApp, { alice, bob }: People): Promise<SeededBookings> {
  const http = () => t.http();
  const booking = (who: { auth: Record<string, string> }, patch: Record<string, unknown>) =>
    http()
      .post('/v1/bookings')
      .set(who.auth)
      .send({ type: 'apartment', title: 'Flat', startTime: iso(T0 + 10 * DAY), endTime: iso(T0 + 17 * DAY), ...patch });
  const kept = ok(await booking(alice, { title: 'Lisbon' }), 201).body;
  ok(await booking(alice, { title: 'Lisbon' }), 200);
  ok(
    await http().patch(`/v1/bookings/${kept.id}`).set(alice.auth).set('If-Match', '"1"').send({ title: 'Porto' }),
    200,
  );
  const keptStart = T0 + 12 * DAY;
  ok(
    await http()
      .patch(`/v1/bookings/${kept.id}`)
      .set(alice.auth)
      .set('If-Match', '"2"')
      .send({ type: 'vehicle', startTime: iso(keptStart) }),
    200,
  );
  const deleted = ok(
    await booking(alice, { title: 'Cancelled trip', startTime: iso(T0 + 20 * DAY), endTime: iso(T0 + 21 * DAY) }),
    201,
  ).body;
  ok(await http().delete(`/v1/bookings/${deleted.id}`).set(alice.auth), 204);
  const bobs = ok(await booking(bob, { type: 'show', title: 'Opera' }), 201).body;
  const edits = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      http()
        .patch(`/v1/bookings/${bobs.id}`)
        .set(bob.auth)
        .set('If-Match', '"1"')
        .send({ title: `Opera ${i}` }),
    ),
  );
  if (edits.filter((r) => r.status === 200).length !== 1) throw new Error('expected exactly one winning edit');
  return { kept: { id: kept.id, start: keptStart }, deleted: { id: deleted.id, start: T0 + 20 * DAY } };
}

/** One planted violation per invariant of bookings (src/bookings/bookings.integrity.ts). */
export const BOOKINGS_PLANTS: Record<keyof typeof BOOKINGS_INVARIANTS, Plant> = {
  'booking-invalid': (s, r) => r.set(keys.booking(s.alice.id, randomUUID()), '{"id": "not json'),
  'booking-index-orphan': (s, r) =>
    r.zadd(
      keys.userBookings(s.alice.id),
      0,
      bookingMember({ startTime: s.bookings.deleted.start, id: s.bookings.deleted.id }),
    ),
  'booking-index-missing': (s, r) =>
    r.zrem(
      keys.userBookingsOfType(s.alice.id, 'vehicle'),
      bookingMember({ startTime: s.bookings.kept.start, id: s.bookings.kept.id }),
    ),
  'booking-fingerprint-orphan': (s, r) =>
    r.hset(keys.userBookingFingerprints(s.alice.id), 'stale-fingerprint', s.bookings.deleted.id),
  'booking-owner-orphan': (s, r) => r.set(keys.bookingOwner(s.bookings.deleted.id), s.alice.id),
  'booking-owner-missing': (s, r) => r.del(keys.bookingOwner(s.bookings.kept.id)),
  'admin-bookings-orphan': (s, r) =>
    r.zadd(
      keys.allBookings(),
      0,
      adminBookingMember({ startTime: s.bookings.deleted.start, userId: s.alice.id, id: s.bookings.deleted.id }),
    ),
  'admin-bookings-missing': (s, r) =>
    r.zrem(
      keys.allBookings(),
      adminBookingMember({ startTime: s.bookings.kept.start, userId: s.alice.id, id: s.bookings.kept.id }),
    ),
};
