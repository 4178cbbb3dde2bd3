import { keyCheck, iso } from '../ops/integrity.js';
import type { Finding, IntegrityContribution, IntegrityReader } from '../ops/integrity.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import type { StoredSeatState } from './event.js';
import { encodeSeatReservation, parseSeatReservation, parseSeatState } from './seat-state.codec.js';
import { parseCategory, parseSeatMeta } from './venue.codec.js';
import { layoutEtag } from './venue-layout.js';
import type { LayoutDocument } from './venue-layout.js';

/** What the integrity check verifies of events and seats (docs/operations.md explains each). */
export const EVENTS_INVARIANTS = {
  'seat-state-invalid': 'a seat-state entry of an unknown event or seat, or a value that cannot be read',
  'seat-double-hold': "a seat in one user's live holds while the seat state says another user holds it",
  'seat-reserved-and-held': "a reserved seat still in a user's live holds",
  'seat-hold-mismatch': "a live hold that the seat state and the holder's hold set disagree on",
  'hold-expiry-orphan': 'a hold-expiry entry whose seat is not held with that expiry',
  'hold-expiry-missing': 'a live hold without its hold-expiry entry (the sweeper would never announce it)',
  'expiring-events-orphan': 'an expiring-events entry for an event that does not exist',
  'expiring-events-missing': 'an event with pending hold expiries that the sweeper is not told to visit in time',
  'user-hold-events-orphan': "a user's hold-events entry for an event that does not exist",
  'user-hold-events-missing': "live holds of a user in an event that the user's hold-events index does not list",
  'user-seat-reservation-orphan': "a user's seat-reservation entry for a seat not reserved by that user at that time",
  'user-seat-reservation-missing': "a reserved seat missing from its owner's seat-reservations index",
  'seat-meta-invalid':
    'a seat-meta entry that cannot be read, of a seat not of the event, or naming a category the event does not have',
  'seat-meta-missing': 'a seat of an event with a venue (a chart) that has no seat-meta entry',
  'seat-meta-mismatch':
    'a seat-meta entry that disagrees with the chart (category, accessibility, row or position in the row), or ' +
    'best-available orders that are not 0..N-1 each once',
  'reservation-category-mismatch': "a reservation whose recorded category is not its seat's category (seat-meta)",
  'category-invalid': 'a category entry that cannot be read or that the chart does not list',
  'category-missing': 'a category of the chart without its entry (its current price)',
  'layout-mismatch':
    "a chart that does not list the event's seats in order, or whose ETag is not the event's layoutEtag",
  'venue-orphan': 'seat-meta, categories or a chart of an event that does not exist',
} as const;

type Invariant = keyof typeof EVENTS_INVARIANTS;
type Reader = IntegrityReader<Invariant>;

/** A stored value: null when absent, undefined when unreadable. */
const stateOf = (value: string | null | undefined) => (value == null ? null : parseSeatState(value));
const timeOf = (state: StoredSeatState) => (state.kind === 'held' ? state.until : state.at);

function describeSeat(state: StoredSeatState | null | undefined): string {
  if (state === null) return 'available';
  if (state === undefined) return 'unreadable';
  return state.kind === 'held'
    ? `held by ${state.userId} until ${iso(state.until)}`
    : `reserved by ${state.userId} at ${iso(state.at)}`;
}

async function seatStates(r: Reader, eventId: string): Promise<Finding<Invariant>[]> {
  const stateKey = keys.seatState(eventId);
  const [exists, seatIds] = (await r.atomically((m) =>
    m.exists(keys.event(eventId)).lrange(keys.eventSeats(eventId), 0, -1),
  )) as [number, string[]];
  if (exists === 0) {
    return [r.finding('seat-state-invalid', [stateKey], `seat state of event ${eventId}, which does not exist`)];
  }
  const seats = new Set(seatIds);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.hpages(stateKey)) {
    const held: [string, StoredSeatState & { kind: 'held' }][] = [];
    const reserved: [string, StoredSeatState & { kind: 'reserved' }][] = [];
    for (const [seatId, value] of page) {
      const state = parseSeatState(value);
      if (!state || !seats.has(seatId)) {
        const why = state ? 'is not a seat of the event' : `has an unreadable state "${value}"`;
        out.push(r.finding('seat-state-invalid', [stateKey], `seat ${seatId} ${why}`));
      } else if (state.kind === 'held') held.push([seatId, state]);
      else reserved.push([seatId, state]);
    }
    const live = held.filter(([, s]) => r.live(s.until));
    if (live.length > 0) {
      const scores = (await r.atomically((m) => {
        for (const [seatId, s] of live) {
          m.zscore(keys.userHoldsInEvent(eventId, s.userId), seatId).zscore(keys.holdExpiries(eventId), seatId);
        }
      })) as (string | null)[];
      live.forEach(([seatId, s], i) => {
        const [inHolds, inExpiries] = [scores[2 * i], scores[2 * i + 1]];
        if (Number(inHolds) !== s.until || inHolds === null) {
          out.push(
            r.finding(
              'seat-hold-mismatch',
              [stateKey, keys.userHoldsInEvent(eventId, s.userId)],
              `seat ${seatId} is ${describeSeat(s)}, but the holder's hold set has ${inHolds === null ? 'no entry for it' : `it until ${iso(Number(inHolds))}`}`,
            ),
          );
        }
        if (Number(inExpiries) !== s.until || inExpiries === null) {
          out.push(
            r.finding(
              'hold-expiry-missing',
              [stateKey, keys.holdExpiries(eventId)],
              `seat ${seatId} is ${describeSeat(s)}, but the hold expiries have ${inExpiries === null ? 'no entry for it' : `it at ${iso(Number(inExpiries))}`}`,
            ),
          );
        }
      });
    }
    // The owner's index lives in the owner's slot: one command per seat.
    const listed = await Promise.all(
      reserved.map(([seatId, s]) =>
        r.redis.zscore(keys.userSeatReservations(s.userId), encodeSeatReservation({ eventId, seatId, at: s.at })),
      ),
    );
    reserved.forEach(([seatId, s], i) => {
      if (listed[i] === null) {
        out.push(
          r.finding(
            'user-seat-reservation-missing',
            [stateKey, keys.userSeatReservations(s.userId)],
            `seat ${seatId} is ${describeSeat(s)}, but is not among that user's seat reservations`,
          ),
        );
      }
    });
  }
  return out;
}

async function holdsOf(r: Reader, eventId: string, userId: string): Promise<Finding<Invariant>[]> {
  const holdsKey = keys.userHoldsInEvent(eventId, userId);
  const stateKey = keys.seatState(eventId);
  const out: Finding<Invariant>[] = [];
  let latest = 0;
  for await (const page of r.zpages(holdsKey)) {
    const live = page.filter(([, until]) => r.live(until));
    if (live.length === 0) continue;
    const states = await r.redis.hmget(stateKey, ...live.map(([seatId]) => seatId));
    live.forEach(([seatId, until], i) => {
      latest = Math.max(latest, until);
      const state = stateOf(states[i]);
      const mine = `seat ${seatId} is in ${userId}'s holds until ${iso(until)}, but the seat is ${describeSeat(state)}`;
      let invariant: Invariant | null = null;
      if (!state) invariant = 'seat-hold-mismatch';
      else if (state.kind === 'reserved') invariant = 'seat-reserved-and-held';
      else if (state.userId !== userId) invariant = r.live(state.until) ? 'seat-double-hold' : 'seat-hold-mismatch';
      else if (state.until !== until) invariant = 'seat-hold-mismatch';
      if (invariant) out.push(r.finding(invariant, [holdsKey, stateKey], mine));
    });
  }
  if (latest > 0) {
    // GET /users/me/holds finds the event through the user's own index (another slot).
    const listed = await r.redis.zscore(keys.userHoldEvents(userId), eventId);
    if (listed === null || Number(listed) < latest) {
      out.push(
        r.finding(
          'user-hold-events-missing',
          [holdsKey, keys.userHoldEvents(userId)],
          `${userId} holds seats of event ${eventId} until ${iso(latest)}, but their hold-events index has ${listed === null ? 'no entry for the event' : `it until ${iso(Number(listed))}`}`,
        ),
      );
    }
  }
  return out;
}

async function holdExpiries(r: Reader, eventId: string): Promise<Finding<Invariant>[]> {
  const expiriesKey = keys.holdExpiries(eventId);
  const stateKey = keys.seatState(eventId);
  const out: Finding<Invariant>[] = [];
  let earliest: number | null = null;
  for await (const page of r.zpages(expiriesKey)) {
    earliest ??= page[0][1];
    const states = await r.redis.hmget(stateKey, ...page.map(([seatId]) => seatId));
    page.forEach(([seatId, at], i) => {
      const state = stateOf(states[i]);
      if (state?.kind !== 'held' || state.until !== at) {
        out.push(
          r.finding(
            'hold-expiry-orphan',
            [expiriesKey, stateKey],
            `seat ${seatId} is due to expire at ${iso(at)}, but the seat is ${describeSeat(state)}`,
          ),
        );
      }
    });
  }
  if (earliest !== null) {
    const registered = await r.redis.zscore(keys.expiringEvents(), eventId);
    if (registered === null || Number(registered) > earliest) {
      out.push(
        r.finding(
          'expiring-events-missing',
          [expiriesKey, keys.expiringEvents()],
          `event ${eventId} has a hold expiring at ${iso(earliest)}, but the sweeper's registry has ${registered === null ? 'no entry for it' : `it at ${iso(Number(registered))}`}`,
        ),
      );
    }
  }
  return out;
}

/** Entries of `key` naming events (as members) that must exist. */
async function eventRegistry(r: Reader, key: string, invariant: Invariant): Promise<Finding<Invariant>[]> {
  const out: Finding<Invariant>[] = [];
  for await (const page of r.zpages(key)) {
    const found = await Promise.all(page.map(([eventId]) => r.exists(keys.event(eventId))));
    page.forEach(([eventId], i) => {
      if (!found[i]) out.push(r.finding(invariant, [key], `event ${eventId} does not exist`));
    });
  }
  return out;
}

async function userSeatReservations(r: Reader, userId: string): Promise<Finding<Invariant>[]> {
  const indexKey = keys.userSeatReservations(userId);
  const out: Finding<Invariant>[] = [];
  for await (const page of r.zpages(indexKey)) {
    const refs = page.map(([member]) => ({ member, ...parseSeatReservation(member) }));
    const states = await Promise.all(
      refs.map((ref) => (ref.seatId ? r.redis.hget(keys.seatState(ref.eventId), ref.seatId) : null)),
    );
    refs.forEach((ref, i) => {
      const state = stateOf(states[i]);
      if (state?.kind !== 'reserved' || state.userId !== userId || timeOf(state) !== ref.at) {
        out.push(
          r.finding(
            'user-seat-reservation-orphan',
            [indexKey, keys.seatState(ref.eventId)],
            `entry ${ref.member}: the seat is ${describeSeat(state)}`,
          ),
        );
      }
    });
  }
  return out;
}

/**
 * A venue (issue 19): the chart against the seat list and the event's ETag, every seat's facts against the chart,
 * the categories against the chart's. Read in one step; a chart of 20,000 seats is a few MB.
 */
async function venue(r: Reader, eventId: string): Promise<Finding<Invariant>[]> {
  const [layoutKey, metaKey, categoriesKey] = [
    keys.eventLayout(eventId),
    keys.seatMeta(eventId),
    keys.eventCategories(eventId),
  ];
  const [etag, seatIds, chart, meta, categories, states] = (await r.atomically((m) =>
    m
      .hget(keys.event(eventId), 'layoutEtag')
      .lrange(keys.eventSeats(eventId), 0, -1)
      .get(layoutKey)
      .hgetall(metaKey)
      .hgetall(categoriesKey)
      .hgetall(keys.seatState(eventId)),
  )) as [
    string | null,
    string[],
    string | null,
    Record<string, string>,
    Record<string, string>,
    Record<string, string>,
  ];
  if (seatIds.length === 0 || chart === null) {
    const what = seatIds.length === 0 ? 'does not exist' : 'has no chart';
    return [
      r.finding('venue-orphan', [layoutKey, metaKey, categoriesKey], `venue keys of event ${eventId}, which ${what}`),
    ];
  }
  const out: Finding<Invariant>[] = [];
  const doc = parseChart(chart);
  const seats = doc?.sections?.flatMap((s) => s.rows.flatMap((row) => row.seats)) ?? [];
  if (!doc || seats.map((seat) => seat.id).join() !== seatIds.join()) {
    out.push(
      r.finding(
        'layout-mismatch',
        [layoutKey, keys.eventSeats(eventId)],
        `the chart of event ${eventId} does not list its ${seatIds.length} seats in order`,
      ),
    );
    return out;
  }
  if (etag !== layoutEtag(chart)) {
    out.push(
      r.finding(
        'layout-mismatch',
        [layoutKey, keys.event(eventId)],
        `the event's layoutEtag ${etag} is not its chart's ETag ${layoutEtag(chart)}`,
      ),
    );
  }
  const known = new Set(doc.categories.map((c) => c.id));
  for (const [id, value] of Object.entries(categories)) {
    if (!parseCategory(id, value) || !known.has(id)) {
      out.push(
        r.finding(
          'category-invalid',
          [categoriesKey, layoutKey],
          `category ${id}: "${value}" ${known.has(id) ? 'cannot be read' : 'is not in the chart'}`,
        ),
      );
    }
  }
  for (const id of known) {
    if (!Object.hasOwn(categories, id))
      out.push(r.finding('category-missing', [categoriesKey, layoutKey], `category ${id} of the chart has no entry`));
  }
  const facts = new Map(seats.map((seat) => [seat.id, seat]));
  for (const [seatId, value] of Object.entries(meta)) {
    const parsed = parseSeatMeta(value);
    if (!parsed || !facts.has(seatId) || !known.has(parsed.categoryId)) {
      const why = !parsed
        ? `has an unreadable value "${value}"`
        : !facts.has(seatId)
          ? 'is not a seat of the event'
          : `names category ${parsed.categoryId}, which the event does not have`;
      out.push(r.finding('seat-meta-invalid', [metaKey], `seat ${seatId} ${why}`));
    }
  }
  out.push(...seatMetaAgainstChart(r, eventId, doc, meta));
  for (const [seatId, value] of Object.entries(states)) {
    const state = parseSeatState(value);
    const fact = Object.hasOwn(meta, seatId) ? parseSeatMeta(meta[seatId]) : undefined;
    const recorded = state?.kind === 'reserved' ? state.price?.categoryId : undefined;
    if (recorded !== undefined && fact && recorded !== fact.categoryId) {
      out.push(
        r.finding(
          'reservation-category-mismatch',
          [keys.seatState(eventId), metaKey],
          `seat ${seatId} was reserved as category ${recorded}, its seat-meta says ${fact.categoryId}`,
        ),
      );
    }
  }
  return out;
}

/**
 * Every seat of the chart against its seat-meta: missing, or disagreeing on category, accessibility, row
 * (`<sectionIndex>.<rowIndex>`) or position in the row; and the best-available orders 0..N-1, each once.
 */
function seatMetaAgainstChart(
  r: Reader,
  eventId: string,
  doc: LayoutDocument,
  meta: Record<string, string>,
): Finding<Invariant>[] {
  const out: Finding<Invariant>[] = [];
  const metaKey = keys.seatMeta(eventId);
  const layoutKey = keys.eventLayout(eventId);
  const orders = new Map<number, string>();
  let total = 0;
  doc.sections.forEach((section, sectionIndex) =>
    section.rows.forEach((row, rowIndex) =>
      row.seats.forEach((seat, position) => {
        total++;
        if (!Object.hasOwn(meta, seat.id)) {
          out.push(
            r.finding(
              'seat-meta-missing',
              [metaKey, layoutKey],
              `seat ${seat.id} (${seat.label}) has no seat-meta entry`,
            ),
          );
          return;
        }
        const fact = parseSeatMeta(meta[seat.id]);
        if (!fact) return; // seat-meta-invalid, above
        const where = `${sectionIndex}.${rowIndex}`;
        const disagree =
          fact.categoryId !== seat.categoryId ||
          fact.accessible !== seat.accessible ||
          `${fact.sectionIndex}.${fact.rowIndex}` !== where ||
          fact.position !== position;
        if (disagree) {
          const chart = `${seat.categoryId}, row ${where}, position ${position}${seat.accessible ? ', accessible' : ''}`;
          out.push(
            r.finding(
              'seat-meta-mismatch',
              [metaKey, layoutKey],
              `seat ${seat.id}: seat-meta says ${meta[seat.id]}, the chart ${chart}`,
            ),
          );
        }
        const twin = orders.get(fact.order);
        if (twin !== undefined) {
          out.push(
            r.finding(
              'seat-meta-mismatch',
              [metaKey],
              `seats ${twin} and ${seat.id} have the same order ${fact.order}`,
            ),
          );
        }
        orders.set(fact.order, seat.id);
      }),
    ),
  );
  for (const [order, seatId] of orders) {
    if (order >= total) {
      out.push(
        r.finding('seat-meta-mismatch', [metaKey], `seat ${seatId} has order ${order}, beyond the ${total} seats`),
      );
    }
  }
  return out;
}

function parseChart(chart: string): LayoutDocument | null {
  try {
    return JSON.parse(chart) as LayoutDocument;
  } catch {
    return null;
  }
}

/** Seat-meta and categories of events without a chart (the chart's own check covers those with one). */
async function venuePart(r: Reader, eventId: string, key: string): Promise<Finding<Invariant>[]> {
  if (await r.exists(keys.eventLayout(eventId))) return [];
  const what = (await r.exists(keys.event(eventId))) ? 'has no chart' : 'does not exist';
  return [r.finding('venue-orphan', [key], `${key}: event ${eventId} ${what}`)];
}

/** Events and seats: the seat state against the holders' sets, the expiry registries and the users' indexes. */
export const eventsIntegrity: IntegrityContribution<Invariant> = {
  invariants: EVENTS_INVARIANTS,
  keyChecks: [
    keyCheck(keyMatcher(keys.seatState), seatStates),
    keyCheck(keyMatcher(keys.userHoldsInEvent), holdsOf),
    keyCheck(keyMatcher(keys.holdExpiries), holdExpiries),
    keyCheck(keyMatcher(keys.expiringEvents), (r) => eventRegistry(r, keys.expiringEvents(), 'expiring-events-orphan')),
    keyCheck(keyMatcher(keys.userHoldEvents), (r, userId) =>
      eventRegistry(r, keys.userHoldEvents(userId), 'user-hold-events-orphan'),
    ),
    keyCheck(keyMatcher(keys.userSeatReservations), userSeatReservations),
    keyCheck(keyMatcher(keys.eventLayout), venue),
    keyCheck(keyMatcher(keys.seatMeta), (r, eventId) => venuePart(r, eventId, keys.seatMeta(eventId))),
    keyCheck(keyMatcher(keys.eventCategories), (r, eventId) => venuePart(r, eventId, keys.eventCategories(eventId))),
  ],
};
