import { keyCheck } from '../ops/integrity.js';
import type { Finding, IntegrityContribution, IntegrityReader } from '../ops/integrity.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import { parseSeatState } from './seat-state.codec.js';
import { parseSeatMeta } from './venue.codec.js';
import { parseSeatOffer, parseWaitlistEntry, waitlistLineOf } from './waitlist.codec.js';

/** What the integrity check verifies of the free index, the offers and the waiting lines (docs/operations.md). */
export const WAITLIST_INVARIANTS = {
  'free-seat-missing': "a seat with no seat-state entry that is not in its category's free set with its order",
  'free-seat-orphan': 'a free-set entry for a seat that is held or reserved, or of another category',
  'offer-orphan': 'an offer for a seat not held (or reserved) by that user as offered: offered and available at once',
  'offer-entry-waiting': 'an offer whose waiting-line entry is still in the line',
  'waitlist-entry-invalid':
    'a line entry that cannot be read, is missing from its per-quantity line or its user, or is there alone',
} as const;

type Invariant = keyof typeof WAITLIST_INVARIANTS;
type Reader = IntegrityReader<Invariant>;
const PAGE = 500;

/** Every seat of the event without a state must be in its category's free set, scored by its order. */
async function freeSeatsOf(r: Reader, eventId: string): Promise<Finding<Invariant>[]> {
  const out: Finding<Invariant>[] = [];
  for (let start = 0; ; start += PAGE) {
    const seatIds = await r.redis.lrange(keys.eventSeats(eventId), start, start + PAGE - 1);
    if (seatIds.length === 0) break;
    const [metas, states] = (await r.atomically((m) =>
      m.hmget(keys.seatMeta(eventId), ...seatIds).hmget(keys.seatState(eventId), ...seatIds),
    )) as [(string | null)[], (string | null)[]];
    // An event created before venues has no seat-meta until its migration: nothing to compare yet.
    const free = seatIds
      .map((seatId, i) => ({ seatId, meta: metas[i] === null ? undefined : parseSeatMeta(metas[i]), state: states[i] }))
      .filter((s) => s.meta !== undefined && s.state === null);
    if (free.length === 0) continue;
    const scores = (await r.atomically((m) => {
      for (const s of free) m.zscore(keys.freeSeats(eventId, s.meta!.categoryId), s.seatId);
    })) as (string | null)[];
    free.forEach((s, i) => {
      if (scores[i] === null || Number(scores[i]) !== s.meta!.order) {
        const has = scores[i] === null ? 'no entry' : `score ${scores[i]}`;
        out.push(
          r.finding(
            'free-seat-missing',
            [keys.seatState(eventId), keys.freeSeats(eventId, s.meta!.categoryId)],
            `seat ${s.seatId} (order ${s.meta!.order}) is available, but its free set has ${has} for it`,
          ),
        );
      }
    });
  }
  return out;
}

/** Every member of a free set must be a seat of that category with no state. */
async function freeSet(r: Reader, eventId: string, categoryId: string): Promise<Finding<Invariant>[]> {
  const key = keys.freeSeats(eventId, categoryId);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.zpages(key)) {
    const ids = page.map(([seatId]) => seatId);
    const [metas, states] = (await r.atomically((m) =>
      m.hmget(keys.seatMeta(eventId), ...ids).hmget(keys.seatState(eventId), ...ids),
    )) as [(string | null)[], (string | null)[]];
    page.forEach(([seatId], i) => {
      const meta = metas[i] === null ? undefined : parseSeatMeta(metas[i]);
      // An unreadable state or a seat without meta are reported by seat-state-invalid and seat-meta-missing.
      if ((states[i] !== null && !parseSeatState(states[i])) || metas[i] === null) return;
      const why =
        states[i] !== null
          ? `has the seat state "${states[i]}"`
          : meta?.categoryId !== categoryId
            ? `is ${meta ? `of category ${meta.categoryId}` : 'of unreadable meta'}`
            : null;
      if (why) out.push(r.finding('free-seat-orphan', [key, keys.seatState(eventId)], `seat ${seatId} ${why}`));
    });
  }
  return out;
}

/** Every offer names the hold it made (or the reservation that followed it), and an entry no longer in line. */
async function offersOf(r: Reader, eventId: string): Promise<Finding<Invariant>[]> {
  const key = keys.seatOffers(eventId);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.hpages(key)) {
    const offers = page.map(([seatId, value]) => ({ seatId, value, offer: parseSeatOffer(value) }));
    const [states, entries] = (await r.atomically((m) =>
      m
        .hmget(keys.seatState(eventId), ...offers.map((o) => o.seatId))
        .hmget(keys.waitlistEntries(eventId), ...offers.map((o) => o.offer?.entryId ?? '-')),
    )) as [(string | null)[], (string | null)[]];
    offers.forEach(({ seatId, value, offer }, i) => {
      const state = states[i] === null ? undefined : parseSeatState(states[i]);
      const matches =
        offer &&
        state &&
        state.userId === offer.userId &&
        (state.kind === 'reserved' || state.until === offer.expiresAt);
      if (!matches) {
        const seat = states[i] === null ? 'available' : `"${states[i]}"`;
        out.push(
          r.finding(
            'offer-orphan',
            [key, keys.seatState(eventId)],
            `offer "${value}" of seat ${seatId}: the seat is ${seat}`,
          ),
        );
      }
      if (offer && entries[i] !== null) {
        out.push(
          r.finding(
            'offer-entry-waiting',
            [key, keys.waitlistEntries(eventId)],
            `seat ${seatId} was offered for entry ${offer.entryId}, which is still in the line`,
          ),
        );
      }
    });
  }
  return out;
}

/** Every entry of the line is readable, in its per-quantity line and its user's; each index points back. */
async function lineOf(r: Reader, eventId: string): Promise<Finding<Invariant>[]> {
  const lineKey = keys.waitlist(eventId);
  const out: Finding<Invariant>[] = [];
  const bad = (keyNames: string[], detail: string) => out.push(r.finding('waitlist-entry-invalid', keyNames, detail));
  for await (const page of r.zpages(lineKey)) {
    const values = await r.redis.hmget(keys.waitlistEntries(eventId), ...page.map(([entryId]) => entryId));
    const entries = page.map(([entryId, place], i) => ({
      entryId,
      place,
      entry: values[i] === null ? undefined : parseWaitlistEntry(values[i]),
    }));
    const checks = (await r.atomically((m) => {
      for (const { entryId, entry } of entries) {
        const line = entry ? waitlistLineOf(entry.quantity, entry.categoryId) : '-';
        m.zscore(keys.waitlistLine(eventId, line), entryId).hget(keys.waitlistUsers(eventId), entry?.userId ?? '-');
      }
    })) as (string | null)[];
    entries.forEach(({ entryId, place, entry }, i) => {
      const [inLine, ofUser] = [checks[2 * i], checks[2 * i + 1]];
      if (!entry) bad([lineKey, keys.waitlistEntries(eventId)], `entry ${entryId} is in the line but cannot be read`);
      else if (Number(inLine) !== place || inLine === null) {
        bad(
          [lineKey, keys.waitlistLine(eventId, '')],
          `entry ${entryId} is not in its per-quantity line at place ${place}`,
        );
      } else if (ofUser !== entryId) {
        bad(
          [lineKey, keys.waitlistUsers(eventId)],
          `entry ${entryId} of ${entry.userId}: the user's entry is ${ofUser}`,
        );
      }
    });
  }
  return out;
}

/** A per-quantity line's entries are in the event's line too. */
async function quantityLine(r: Reader, eventId: string, line: string): Promise<Finding<Invariant>[]> {
  const key = keys.waitlistLine(eventId, line);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.zpages(key)) {
    const places = (await r.atomically((m) => {
      for (const [entryId] of page) m.zscore(keys.waitlist(eventId), entryId);
    })) as (string | null)[];
    page.forEach(([entryId], i) => {
      if (places[i] === null) {
        out.push(
          r.finding(
            'waitlist-entry-invalid',
            [key, keys.waitlist(eventId)],
            `entry ${entryId} is not in the event's line`,
          ),
        );
      }
    });
  }
  return out;
}

/** The free index, the offers and the waiting lines of events. */
export const waitlistIntegrity: IntegrityContribution<Invariant> = {
  invariants: WAITLIST_INVARIANTS,
  keyChecks: [
    keyCheck(keyMatcher(keys.eventSeats), freeSeatsOf),
    keyCheck(keyMatcher(keys.freeSeats), freeSet),
    keyCheck(keyMatcher(keys.seatOffers), offersOf),
    keyCheck(keyMatcher(keys.waitlist), lineOf),
    keyCheck(keyMatcher(keys.waitlistLine), quantityLine),
  ],
};
