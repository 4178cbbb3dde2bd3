import { keyCheck, iso } from '../ops/integrity.js';
import type { Finding, IntegrityContribution, IntegrityReader } from '../ops/integrity.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import { encodeSitting, parseSitting } from './restaurants.codec.js';

/** What the integrity check verifies of restaurants (docs/operations.md explains each). */
export const RESTAURANTS_INVARIANTS = {
  'restaurant-table-overlap': 'two live reservations on one table whose times overlap',
  'restaurant-sitting-orphan': 'a sittings entry without a live reservation of that table and start',
  'restaurant-sitting-missing': 'a live reservation without its sittings entry',
  'restaurant-reservations-orphan': 'a reservations-index entry for a missing reservation or with another start',
  'restaurant-reservations-missing': 'a reservation missing from the restaurant’s reservations index',
  'restaurant-live-of-orphan': "a customer's live-reservations entry for a reservation not theirs, not booked or moved",
} as const;

type Invariant = keyof typeof RESTAURANTS_INVARIANTS;
type Reader = IntegrityReader<Invariant>;

async function reservationFields(r: Reader, restaurantId: string, ids: string[]): Promise<(string | null)[][]> {
  return (await r.atomically((m) => {
    for (const id of ids) m.hmget(keys.restaurantReservation(restaurantId, id), 'status', 'tableId', 'start', 'end');
  })) as (string | null)[][];
}

/** The reservations index, and the overlap check over it: entries come by start, so one pass per table does. */
async function restaurantReservations(r: Reader, restaurantId: string): Promise<Finding<Invariant>[]> {
  const indexKey = keys.restaurantReservations(restaurantId);
  const out: Finding<Invariant>[] = [];
  /** Per table, the live reservation seen so far that ends last. */
  const lastOnTable = new Map<string, { id: string; start: number; end: number }>();
  for await (const page of r.zpages(indexKey)) {
    const rows = await reservationFields(
      r,
      restaurantId,
      page.map(([id]) => id),
    );
    page.forEach(([id, score], i) => {
      const [status, tableId, startText, endText] = rows[i];
      const reservationKey = keys.restaurantReservation(restaurantId, id);
      if (status === null) {
        out.push(r.finding('restaurant-reservations-orphan', [indexKey], `reservation ${id} does not exist`));
        return;
      }
      const [start, end] = [Number(startText), Number(endText)];
      if (start !== score) {
        out.push(
          r.finding(
            'restaurant-reservations-orphan',
            [indexKey, reservationKey],
            `reservation ${id} is listed at ${iso(score)} but starts at ${iso(start)}`,
          ),
        );
      }
      if (status !== 'booked' || !tableId) return;
      const before = lastOnTable.get(tableId);
      if (before && start < before.end && before.start < end) {
        out.push(
          r.finding(
            'restaurant-table-overlap',
            [keys.restaurantReservation(restaurantId, before.id), reservationKey],
            `table ${tableId}: reservation ${before.id} [${iso(before.start)}, ${iso(before.end)}) and ${id} [${iso(start)}, ${iso(end)}) overlap`,
          ),
        );
      }
      if (!before || end > before.end) lastOnTable.set(tableId, { id, start, end });
    });
  }
  return out;
}

async function sittings(r: Reader, restaurantId: string): Promise<Finding<Invariant>[]> {
  const sittingsKey = keys.restaurantSittings(restaurantId);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.zpages(sittingsKey)) {
    const refs = page.map(([member, start]) => ({ member, start, ...parseSitting(member) }));
    const rows = await reservationFields(
      r,
      restaurantId,
      refs.map((ref) => ref.reservationId),
    );
    refs.forEach((ref, i) => {
      const [status, tableId, start] = rows[i];
      const problem =
        status === null
          ? 'the reservation does not exist'
          : status !== 'booked'
            ? `the reservation is ${status}`
            : tableId !== ref.tableId
              ? `the reservation is on table ${tableId}`
              : Number(start) !== ref.start
                ? `the reservation starts at ${iso(Number(start))}`
                : null;
      if (problem) {
        out.push(
          r.finding(
            'restaurant-sitting-orphan',
            [sittingsKey, keys.restaurantReservation(restaurantId, ref.reservationId)],
            `sitting ${ref.member} at ${iso(ref.start)}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

async function restaurantReservation(r: Reader, restaurantId: string, id: string): Promise<Finding<Invariant>[]> {
  const reservationKey = keys.restaurantReservation(restaurantId, id);
  const [fields, listedAt] = (await r.atomically((m) =>
    m.hmget(reservationKey, 'status', 'tableId', 'start').zscore(keys.restaurantReservations(restaurantId), id),
  )) as [(string | null)[], string | null];
  const [status, tableId, startText] = fields;
  if (status === null) return [];
  const start = Number(startText);
  const out: Finding<Invariant>[] = [];
  if (listedAt === null || Number(listedAt) !== start) {
    out.push(
      r.finding(
        'restaurant-reservations-missing',
        [reservationKey, keys.restaurantReservations(restaurantId)],
        `reservation ${id} (start ${iso(start)}) is ${listedAt === null ? 'not in the index' : `listed at ${iso(Number(listedAt))}`}`,
      ),
    );
  }
  if (status === 'booked') {
    const member = encodeSitting({ tableId: tableId ?? '', reservationId: id });
    const sitting = await r.redis.zscore(keys.restaurantSittings(restaurantId), member);
    if (sitting === null || Number(sitting) !== start) {
      out.push(
        r.finding(
          'restaurant-sitting-missing',
          [reservationKey, keys.restaurantSittings(restaurantId)],
          `live reservation ${id} on table ${tableId} at ${iso(start)} has ${sitting === null ? 'no sitting' : `its sitting at ${iso(Number(sitting))}`}`,
        ),
      );
    }
  }
  return out;
}

/**
 * A customer's live reservations (the per-day cap): the book, move and cancel scripts write the entry with the
 * reservation, so every entry is a booked reservation of that customer at that start. Bookings prune entries more
 * than two days old, so a live reservation may be missing: only the entries are checked.
 */
async function liveOf(r: Reader, restaurantId: string, userId: string): Promise<Finding<Invariant>[]> {
  const indexKey = keys.restaurantLiveOf(restaurantId, userId);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.zpages(indexKey)) {
    const rows = (await r.atomically((m) => {
      for (const [id] of page) m.hmget(keys.restaurantReservation(restaurantId, id), 'status', 'userId', 'start');
    })) as (string | null)[][];
    page.forEach(([id, start], i) => {
      const [status, owner, startText] = rows[i];
      const problem =
        status === null
          ? 'the reservation does not exist'
          : owner !== userId
            ? `the reservation is ${owner}'s`
            : status !== 'booked'
              ? `the reservation is ${status}`
              : Number(startText) !== start
                ? `the reservation starts at ${iso(Number(startText))}`
                : null;
      if (problem) {
        out.push(
          r.finding(
            'restaurant-live-of-orphan',
            [indexKey, keys.restaurantReservation(restaurantId, id)],
            `entry ${id} at ${iso(start)}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

/** Restaurants: the reservations index with the overlap check, the sittings, and each reservation's entries. */
export const restaurantsIntegrity: IntegrityContribution<Invariant> = {
  invariants: RESTAURANTS_INVARIANTS,
  keyChecks: [
    keyCheck(keyMatcher(keys.restaurantReservations), restaurantReservations),
    keyCheck(keyMatcher(keys.restaurantSittings), sittings),
    keyCheck(keyMatcher(keys.restaurantReservation), restaurantReservation),
    keyCheck(keyMatcher(keys.restaurantLiveOf), liveOf),
  ],
};
