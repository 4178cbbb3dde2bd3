import { keyCheck, iso } from '../ops/integrity.js';
import type { Finding, IntegrityContribution, IntegrityReader } from '../ops/integrity.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import { fingerprintOf } from './booking.js';
import {
  adminBookingMember,
  bookingMember,
  parseAdminBookingMember,
  parseBookingMember,
  readStoredBooking,
} from './bookings.codec.js';

/** What the integrity check verifies of holiday bookings (docs/operations.md explains each). */
export const BOOKINGS_INVARIANTS = {
  'booking-invalid': 'a booking that cannot be read or whose id or owner disagrees with its key',
  'booking-index-orphan': "a user's booking-index entry for a missing (or deleted) booking or with another start/type",
  'booking-index-missing': "a booking missing from its user's booking indexes",
  'booking-fingerprint-orphan': 'a duplicate-detection fingerprint naming a missing booking or one with other content',
  'booking-owner-orphan': 'a booking-owner lookup (admin access) naming a user without that booking',
  'booking-owner-missing': 'a booking without a booking-owner lookup naming its user',
  'admin-bookings-orphan': "an entry of the admins' booking index for a missing (or deleted) booking",
  'admin-bookings-missing': "a booking missing from the admins' booking index",
} as const;

type Invariant = keyof typeof BOOKINGS_INVARIANTS;
type Reader = IntegrityReader<Invariant>;
type Findings = Finding<Invariant>[];

/** Why a booking id of a user does not resolve: missing, or deleted (its tombstone is still there). */
const missingBooking = (tombstone: string | null) =>
  tombstone === null ? 'the booking does not exist' : `the booking was deleted (at version ${tombstone})`;

async function booking(r: Reader, userId: string, bookingId: string): Promise<Findings> {
  const key = keys.booking(userId, bookingId);
  const stored = readStoredBooking(await r.redis.get(key));
  if (stored === null) return [];
  if (!stored || stored.id !== bookingId || stored.userId !== userId) {
    return [r.finding('booking-invalid', [key], `the stored booking cannot be read or names another id or user`)];
  }
  const member = bookingMember(stored);
  const [inAll, inType] = (await r.atomically((m) =>
    m.zscore(keys.userBookings(userId), member).zscore(keys.userBookingsOfType(userId, stored.type), member),
  )) as (string | null)[];
  const out: Findings = [];
  if (inAll === null || inType === null) {
    const index = inAll === null ? keys.userBookings(userId) : keys.userBookingsOfType(userId, stored.type);
    out.push(r.finding('booking-index-missing', [key, index], `booking ${bookingId} is not listed as ${member}`));
  }
  // The admin lookups live in other slots and are written after the owner's script.
  const globalMember = adminBookingMember(stored);
  const [owner, inAdminIndex] = await Promise.all([
    r.redis.get(keys.bookingOwner(bookingId)),
    r.redis.zscore(keys.allBookings(), globalMember),
  ]);
  if (owner !== userId) {
    out.push(
      r.finding(
        'booking-owner-missing',
        [key, keys.bookingOwner(bookingId)],
        `booking ${bookingId} of ${userId} has ${owner === null ? 'no owner lookup' : `owner lookup ${owner}`}`,
      ),
    );
  }
  if (inAdminIndex === null) {
    out.push(
      r.finding(
        'admin-bookings-missing',
        [key, keys.allBookings()],
        `booking ${bookingId} is not listed as ${globalMember}`,
      ),
    );
  }
  return out;
}

/** The owner's index of all bookings (no type) or of one type. */
async function userBookings(r: Reader, userId: string, type?: string): Promise<Findings> {
  const indexKey = type ? keys.userBookingsOfType(userId, type) : keys.userBookings(userId);
  const out: Findings = [];
  for await (const page of r.zpages(indexKey)) {
    const entries = page.map(([member]) => ({ member, ...parseBookingMember(member) }));
    const rows = (await r.atomically((m) => {
      for (const e of entries) {
        m.get(keys.booking(userId, e.bookingId)).get(keys.bookingTombstone(userId, e.bookingId));
      }
    })) as (string | null)[];
    entries.forEach((e, i) => {
      const stored = readStoredBooking(rows[2 * i]);
      const problem = !stored
        ? missingBooking(rows[2 * i + 1])
        : stored.startTime !== e.startTime
          ? `the booking starts at ${iso(stored.startTime)}`
          : type && stored.type !== type
            ? `the booking is of type ${stored.type}`
            : null;
      if (problem) {
        out.push(
          r.finding(
            'booking-index-orphan',
            [indexKey, keys.booking(userId, e.bookingId)],
            `entry ${e.member}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

async function fingerprints(r: Reader, userId: string): Promise<Findings> {
  const fingerprintsKey = keys.userBookingFingerprints(userId);
  const out: Findings = [];
  for await (const page of r.hpages(fingerprintsKey)) {
    const rows = (await r.atomically((m) => {
      for (const [, id] of page) m.get(keys.booking(userId, id)).get(keys.bookingTombstone(userId, id));
    })) as (string | null)[];
    page.forEach(([fingerprint, id], i) => {
      const stored = readStoredBooking(rows[2 * i]);
      const problem = !stored
        ? missingBooking(rows[2 * i + 1])
        : fingerprintOf(stored) !== fingerprint
          ? 'the booking has other content (type, title, start or end) now'
          : null;
      if (problem) {
        out.push(
          r.finding(
            'booking-fingerprint-orphan',
            [fingerprintsKey, keys.booking(userId, id)],
            `fingerprint ${fingerprint} names booking ${id}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

async function bookingOwner(r: Reader, bookingId: string): Promise<Findings> {
  const key = keys.bookingOwner(bookingId);
  const userId = await r.redis.get(key);
  if (userId === null) return [];
  const [exists, tombstone] = (await r.atomically((m) =>
    m.exists(keys.booking(userId, bookingId)).get(keys.bookingTombstone(userId, bookingId)),
  )) as [number, string | null];
  if (exists === 1) return [];
  return [
    r.finding(
      'booking-owner-orphan',
      [key, keys.booking(userId, bookingId)],
      `booking ${bookingId} is said to be ${userId}'s: ${missingBooking(tombstone)}`,
    ),
  ];
}

async function adminBookings(r: Reader): Promise<Findings> {
  const indexKey = keys.allBookings();
  const out: Findings = [];
  for await (const page of r.zpages(indexKey)) {
    const refs = page.map(([member]) => ({ member, ...parseAdminBookingMember(member) }));
    // Each booking lives in its owner's slot: one command per entry.
    const rows = await Promise.all(
      refs.map(async (ref) => {
        const json = await r.redis.get(keys.booking(ref.userId, ref.bookingId));
        return {
          stored: readStoredBooking(json),
          tombstone: json ? null : await r.redis.get(keys.bookingTombstone(ref.userId, ref.bookingId)),
        };
      }),
    );
    refs.forEach((ref, i) => {
      const { stored, tombstone } = rows[i];
      const problem = !stored
        ? missingBooking(tombstone)
        : stored.startTime !== ref.startTime
          ? `the booking starts at ${iso(stored.startTime)}`
          : null;
      if (problem) {
        out.push(
          r.finding(
            'admin-bookings-orphan',
            [indexKey, keys.booking(ref.userId, ref.bookingId)],
            `entry ${ref.member}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

/** Holiday bookings: each booking against its owner's indexes and the admins' lookups, and those against it. */
export const bookingsIntegrity: IntegrityContribution<Invariant> = {
  invariants: BOOKINGS_INVARIANTS,
  keyChecks: [
    keyCheck(keyMatcher(keys.booking), booking),
    keyCheck(keyMatcher(keys.userBookings), (r, userId) => userBookings(r, userId)),
    keyCheck(keyMatcher(keys.userBookingsOfType), userBookings),
    keyCheck(keyMatcher(keys.userBookingFingerprints), fingerprints),
    keyCheck(keyMatcher(keys.bookingOwner), bookingOwner),
    keyCheck(keyMatcher(keys.allBookings), adminBookings),
  ],
};
