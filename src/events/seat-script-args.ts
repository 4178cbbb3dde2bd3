import { toIso } from '../common/iso-date-time.js';
import { LuaScript } from '../redis/lua-scripts.js';
import type { ScriptCall } from '../redis/lua-scripts.js';
import { keys } from '../redis/keys.js';
import type {
  BestSeatsRequest,
  CancelOutcome,
  FreeingTerms,
  HoldOutcome,
  HoldTerms,
  OfferMade,
  ReleaseOutcome,
  ReserveOutcome,
} from './seats.repository.js';
import { reservedPrice } from './seat-state.codec.js';

/**
 * The seat scripts: their names, KEYS and ARGV, in the order their headers give (lua/hold-seats-9.lua, ...), and what
 * their answers mean: the one place that knows it. The repository, the scripts' own tests and the bench's bare
 * baseline all build their calls here, so a script that changes its layout changes one file (and every call that no
 * longer fits fails to compile). `channelPrefix` is the client's key prefix: ioredis prefixes keys, not pub/sub
 * channels.
 */
const lua = new URL('./lua/', import.meta.url);

/** The keys every seat script of one user in one event starts with. */
export type SeatEventKeys = readonly [
  seatState: string,
  userHoldsInEvent: string,
  seatSeq: string,
  seatLog: string,
  holdExpiries: string,
];

/**
 * The keys and arguments every script that frees seats starts with: "the freeing layout" of lua/include/free-seats.lua
 * (the seat state, the change log, the free sets, the waiting line and the offers). Prefixes are keys (so the client's
 * key prefix reaches them) that the scripts complete with a category, a line or a user id. The event's outbox and hash
 * come last: a lapsed hold freed is a `hold.expired` and an offer a `waitlist.offered` outbox event.
 */
type FreeingKeys = readonly [
  seatState: string,
  seatSeq: string,
  seatLog: string,
  holdExpiries: string,
  seatMeta: string,
  freeSetPrefix: string,
  categories: string,
  offers: string,
  waitlist: string,
  waitlistEntries: string,
  waitlistUsers: string,
  waitlistLinePrefix: string,
  userHoldsPrefix: string,
  outbox: string,
  event: string,
];
/** The ARGV every seat script that changes seats starts with (the reserve's puts the user second). */
type ChangeArgs = readonly [now: number, seatChannel: string, eventId: string, nowIso: string];
type FreeingArgs = readonly [
  ...ChangeArgs,
  offerUntil: number,
  userChannelPrefix: string,
  offerUntilIso: string,
  maxHolds: number,
];

type HoldKeys = readonly [...FreeingKeys, userHoldsInEvent: string, holdRenewals: string];
type HoldTermArgs = readonly [
  expiresAt: number,
  maxHolds: number,
  userId: string,
  startsAt: number | '',
  maxRenewals: number,
  token: string,
  userChannel: string,
  notice: string,
];
/**
 * The keys the scripts that free nothing to the line start with (the single hold, the release when nobody waits):
 * the freeing layout's without the categories and the line's.
 */
type SeatKeys = readonly [
  seatState: string,
  seatSeq: string,
  seatLog: string,
  holdExpiries: string,
  seatMeta: string,
  freeSetPrefix: string,
  offers: string,
];
/** The single hold's keys: none of the line's, since it frees nothing (lua/hold-seats-9.lua). */
type SeatHoldKeys = readonly [...SeatKeys, userHoldsInEvent: string, holdRenewals: string];
type SeatHoldArgs = readonly [...ChangeArgs, ...HoldTermArgs, ...seatIds: string[]];
type SeatHoldReply = [status: number, ...rest: (string | number)[]];
type HoldReply = [status: number, ...rest: (string | number | RawOffer[])[]];
type BestArgs = readonly [
  ...FreeingArgs,
  ...HoldTermArgs,
  quantity: number,
  categoryId: string,
  adjacent: 0 | 1,
  accessible: 0 | 1,
  maxLapsed: number,
  scanLimit: number,
];
type ReleaseKeys = readonly [...FreeingKeys, userHoldsInEvent: string];
type ReleaseArgs = readonly [...FreeingArgs, seatId: string, userId: string, userChannel: string, notice: string];
type ReleaseReply = [status: number, offers?: RawOffer[]];
/** The release when nobody waits: none of the line's keys but the line itself (lua/release-free-hold-9.lua). */
type FreeReleaseKeys = readonly [...SeatKeys, waitlist: string, userHoldsInEvent: string];
type FreeReleaseArgs = readonly [...ChangeArgs, seatId: string, userId: string, userChannel: string, notice: string];
/** What the release when nobody waits may answer besides a ReleaseOutcome: someone waits, use the full release. */
export type FreeReleaseOutcome = ReleaseOutcome | 'someone-waits';
type ExpireArgs = readonly [...FreeingArgs, maxSeats: number];
type ExpireReply = [next: number, offers: RawOffer[]];
type CancelArgs = readonly [...FreeingArgs, seatId: string, userId: string, anyOwner: 0 | 1, startsAt: number | ''];
type CancelReply = [status: number, offers?: RawOffer[], userId?: string, reservedAt?: string];

/** An offer as a script answers it: the user, the line entry, the seats. */
type RawOffer = [userId: string, entryId: string, ...seatIds: string[]];

/** The reserve script's keys: the outbox gets its `seat.reserved`, with the event's creator as its owner. */
type ReserveKeys = readonly [...SeatEventKeys, seatMeta: string, categories: string, outbox: string, event: string];
type ReserveArgs = readonly [
  now: number,
  userId: string,
  seatChannel: string,
  eventId: string,
  nowIso: string,
  startsAt: number | '',
  ...seatIds: string[],
];
type ReserveReply = [status: number, ...rest: (string | number)[]];

const STARTED = { outcome: 'started' } as const;

/**
 * What a single hold may answer besides a HoldOutcome: lapsed holds met on these seats, which the caller frees (the
 * expire script, the waiting line first) before it holds again. Never leaves the repository.
 */
export type SeatHoldOutcome = HoldOutcome | { readonly outcome: 'lapsed'; readonly seatIds: string[] };

/** The next pending expiry of the event (ms; -1: none left) and the offers the lapses led to. */
export function expiryOf([next, offers]: ExpireReply): { next: number; offers: OfferMade[] } {
  return { next: Number(next), offers: offersOf(offers) };
}

function offersOf(raw: unknown): OfferMade[] {
  return ((raw ?? []) as RawOffer[]).map(([userId, entryId, ...seatIds]) => ({ userId, entryId, seatIds }));
}

const strings = (values: unknown[]) => values as string[];

export const seatScripts = {
  hold: new LuaScript<SeatHoldKeys, SeatHoldArgs, SeatHoldReply, SeatHoldOutcome>(
    'seats:hold',
    lua,
    'hold-seats-9.lua',
    {
      1: () => ({ outcome: 'held', seatIds: [], offers: [] }),
      [-1]: ([, ...seatIds]) => ({ outcome: 'taken', seatIds: strings(seatIds), offers: [] }),
      [-2]: ([, liveHolds]) => ({ outcome: 'limit', liveHolds: Number(liveHolds), offers: [] }),
      [-3]: ([, ...seatIds]) => ({ outcome: 'renewal-limit', seatIds: strings(seatIds), offers: [] }),
      [-4]: () => STARTED,
      [-5]: ([, ...seatIds]) => ({ outcome: 'lapsed', seatIds: strings(seatIds) }),
    },
  ),
  holdBest: new LuaScript<HoldKeys, BestArgs, HoldReply, HoldOutcome>('seats:hold-best', lua, 'hold-best-17.lua', {
    1: ([, offers, ...seatIds]) => ({ outcome: 'held', seatIds: strings(seatIds), offers: offersOf(offers) }),
    [-1]: ([, offers, free]) => ({ outcome: 'not-enough', free: Number(free), offers: offersOf(offers) }),
    [-2]: ([, offers, liveHolds]) => ({ outcome: 'limit', liveHolds: Number(liveHolds), offers: offersOf(offers) }),
    [-3]: ([, offers, ...seatIds]) => ({
      outcome: 'renewal-limit',
      seatIds: strings(seatIds),
      offers: offersOf(offers),
    }),
    [-4]: () => STARTED,
    [-5]: () => ({ outcome: 'unknown-category' }),
  }),
  reserve: new LuaScript<ReserveKeys, ReserveArgs, ReserveReply, ReserveOutcome>(
    'seats:reserve',
    lua,
    'reserve-seats-9.lua',
    {
      1: ([, newlyReserved, ...fields]) => ({
        outcome: 'reserved',
        newlyReserved: Number(newlyReserved),
        reservedAt: Array.from({ length: fields.length / 4 }, (_, i) => Number(fields[4 * i])),
        prices: Array.from({ length: fields.length / 4 }, (_, i) =>
          reservedPrice(String(fields[4 * i + 1]), String(fields[4 * i + 2]), String(fields[4 * i + 3])),
        ),
      }),
      [-1]: ([, ...seatIds]) => ({ outcome: 'not-held', seatIds: seatIds as string[] }),
      [-2]: () => STARTED,
      // A stored category the reserve script cannot read (integrity reports category-invalid): nothing was written.
      [-3]: ([, categoryId]) => {
        throw new Error(`reserve: the stored category ${String(categoryId)} cannot be read`);
      },
    },
  ),
  /** Whether the user's live hold ended, and the offers the freed seat led to. */
  release: new LuaScript<ReleaseKeys, ReleaseArgs, ReleaseReply, ReleaseOutcome>(
    'seats:release',
    lua,
    'release-hold-16.lua',
    {
      1: ([, offers]) => ({ released: true, offers: offersOf(offers) }),
      0: () => ({ released: false, offers: [] }),
    },
  ),
  /** The usual release: nothing changed and 'someone-waits' when the line is not empty (then send `release`). */
  releaseFree: new LuaScript<FreeReleaseKeys, FreeReleaseArgs, number, FreeReleaseOutcome>(
    'seats:release-free',
    lua,
    'release-free-hold-9.lua',
    {
      1: () => ({ released: true, offers: [] }),
      0: () => ({ released: false, offers: [] }),
      [-1]: () => 'someone-waits',
    },
  ),
  /** Answers the next pending expiry of the event and the offers its lapses led to: read with expiryOf. */
  expire: new LuaScript<FreeingKeys, ExpireArgs, ExpireReply>('seats:expire', lua, 'expire-holds-15.lua'),
  cancel: new LuaScript<FreeingKeys, CancelArgs, CancelReply, CancelOutcome>(
    'seats:cancel-reservation',
    lua,
    'cancel-reservation-15.lua',
    {
      1: ([, offers, userId, reservedAt]) => ({
        outcome: 'cancelled',
        userId: userId!,
        reservedAt: Number(reservedAt),
        offers: offersOf(offers),
      }),
      0: () => ({ outcome: 'not-reserved' }),
      [-1]: () => ({ outcome: 'not-yours' }),
      [-2]: () => STARTED,
    },
  ),
};

export function seatEventKeys(eventId: string, userId: string): SeatEventKeys {
  return [
    keys.seatState(eventId),
    keys.userHoldsInEvent(eventId, userId),
    keys.seatSeq(eventId),
    keys.seatLog(eventId),
    keys.holdExpiries(eventId),
  ];
}

/**
 * What every freeing call of one event sends unchanged (its keys, channels and id), built once per event and kept
 * for the next calls: the hold path builds no key name twice. Bounded: past MAX_EVENTS events the oldest goes.
 */
interface EventConstants {
  readonly keys: FreeingKeys;
  /** A part of `keys`, kept as its own tuple so that the hot path's calls spread it rather than pick it apart. */
  readonly seatKeys: SeatKeys;
  readonly seatChannel: string;
  readonly userChannelPrefix: string;
}
const MAX_EVENTS = 1000;
const constants = new Map<string, EventConstants>();

function eventConstants(channelPrefix: string, eventId: string): EventConstants {
  // Keyed by the client's prefix too: the tests run apps of several prefixes in one process.
  const cacheKey = `${channelPrefix}\u0000${eventId}`;
  const known = constants.get(cacheKey);
  if (known) return known;
  const freeing: FreeingKeys = [
    keys.seatState(eventId),
    keys.seatSeq(eventId),
    keys.seatLog(eventId),
    keys.holdExpiries(eventId),
    keys.seatMeta(eventId),
    keys.freeSeats(eventId, ''),
    keys.eventCategories(eventId),
    keys.seatOffers(eventId),
    keys.waitlist(eventId),
    keys.waitlistEntries(eventId),
    keys.waitlistUsers(eventId),
    keys.waitlistLine(eventId, ''),
    keys.userHoldsInEvent(eventId, ''),
    keys.eventOutbox(eventId),
    keys.event(eventId),
  ];
  const [seatState, seatSeq, seatLog, holdExpiries, seatMeta, freeSetPrefix, , offers] = freeing;
  const built: EventConstants = {
    keys: freeing,
    seatKeys: [seatState, seatSeq, seatLog, holdExpiries, seatMeta, freeSetPrefix, offers],
    seatChannel: channelPrefix + keys.seatChannel(eventId),
    userChannelPrefix: channelPrefix + keys.userChannel(''),
  };
  if (constants.size >= MAX_EVENTS) constants.delete(constants.keys().next().value!);
  constants.set(cacheKey, built);
  return built;
}

/** The freeing layout's ARGV: the waitlist.offered message itself is built by the script, only when it offers. */
function freeingArgs(event: EventConstants, eventId: string, terms: FreeingTerms): FreeingArgs {
  return [
    terms.now,
    event.seatChannel,
    eventId,
    toIso(terms.now),
    terms.offerUntil,
    event.userChannelPrefix,
    toIso(terms.offerUntil),
    terms.maxHolds,
  ];
}

function holdTermArgs(channelPrefix: string, userId: string, terms: HoldTerms, token: string): HoldTermArgs {
  return [
    terms.expiresAt,
    terms.maxHolds,
    userId,
    terms.startsAt ?? '',
    terms.maxRenewals,
    token,
    channelPrefix + keys.userChannel(userId),
    terms.notice ?? '',
  ];
}

/**
 * One hold command; `token` tells a command ioredis re-sent after a reconnect from a new one. It carries no freeing
 * layout: a hold that meets lapsed holds answers 'lapsed', and the caller frees them with expireHoldsArgs first.
 */
export function holdSeatsArgs(
  channelPrefix: string,
  eventId: string,
  userId: string,
  seatIds: readonly string[],
  terms: HoldTerms,
  token: string,
): ScriptCall<SeatHoldKeys, SeatHoldArgs> {
  const event = eventConstants(channelPrefix, eventId);
  return [
    ...event.seatKeys,
    keys.userHoldsInEvent(eventId, userId),
    keys.holdRenewals(eventId),
    terms.now,
    event.seatChannel,
    eventId,
    toIso(terms.now),
    ...holdTermArgs(channelPrefix, userId, terms, token),
    ...seatIds,
  ];
}

/**
 * The most free seats one best-available call reads (review 1): a request whose fit is not among the first this many
 * free seats of its categories in best-available order answers NOT_ENOUGH_SEATS, so one call's Redis time stays
 * bounded (docs/performance.md, "Best available's bound").
 */
export const BEST_AVAILABLE_SCAN_LIMIT = 1000;

/**
 * One best-available command. `terms.notice` is the seat.held user event with SEAT_IDS_MARK for its seat ids (the
 * script picks them). At most `maxLapsed` lapsed holds are freed on the way.
 */
export function holdBestArgs(
  channelPrefix: string,
  eventId: string,
  userId: string,
  request: BestSeatsRequest,
  terms: HoldTerms,
  token: string,
): ScriptCall<HoldKeys, BestArgs> {
  const event = eventConstants(channelPrefix, eventId);
  return [
    ...event.keys,
    keys.userHoldsInEvent(eventId, userId),
    keys.holdRenewals(eventId),
    ...freeingArgs(event, eventId, terms),
    ...holdTermArgs(channelPrefix, userId, terms, token),
    request.quantity,
    request.categoryId ?? '',
    request.adjacent ? 1 : 0,
    request.accessible ? 1 : 0,
    100,
    BEST_AVAILABLE_SCAN_LIMIT,
  ];
}

/** One reserve command: the seats the user holds become theirs at `now`. */
export function reserveSeatsArgs(
  channelPrefix: string,
  eventId: string,
  userId: string,
  seatIds: readonly string[],
  now: number,
  startsAt: number | null,
): ScriptCall<ReserveKeys, ReserveArgs> {
  return [
    ...seatEventKeys(eventId, userId),
    keys.seatMeta(eventId),
    keys.eventCategories(eventId),
    keys.eventOutbox(eventId),
    keys.event(eventId),
    now,
    userId,
    channelPrefix + keys.seatChannel(eventId),
    eventId,
    toIso(now),
    startsAt ?? '',
    ...seatIds,
  ];
}

/** One release command when nobody waits (`seatScripts.releaseFree`); `notice` as for releaseHoldArgs. */
export function releaseFreeHoldArgs(
  channelPrefix: string,
  eventId: string,
  userId: string,
  seatId: string,
  now: number,
  notice: string,
): ScriptCall<FreeReleaseKeys, FreeReleaseArgs> {
  const event = eventConstants(channelPrefix, eventId);
  const waitlist = event.keys[8]; // the freeing layout's `waitlist`
  return [
    ...event.seatKeys,
    waitlist,
    keys.userHoldsInEvent(eventId, userId),
    now,
    event.seatChannel,
    eventId,
    toIso(now),
    seatId,
    userId,
    channelPrefix + keys.userChannel(userId),
    notice,
  ];
}

/** One release command; `notice` is the user event published once released (empty: none). */
export function releaseHoldArgs(
  channelPrefix: string,
  eventId: string,
  userId: string,
  seatId: string,
  terms: FreeingTerms,
  notice: string,
): ScriptCall<ReleaseKeys, ReleaseArgs> {
  const event = eventConstants(channelPrefix, eventId);
  return [
    ...event.keys,
    keys.userHoldsInEvent(eventId, userId),
    ...freeingArgs(event, eventId, terms),
    seatId,
    userId,
    channelPrefix + keys.userChannel(userId),
    notice,
  ];
}

/** One sweep of an event's lapsed holds, at most `maxSeats` of them. */
export function expireHoldsArgs(
  channelPrefix: string,
  eventId: string,
  terms: FreeingTerms,
  maxSeats: number,
): ScriptCall<FreeingKeys, ExpireArgs> {
  const event = eventConstants(channelPrefix, eventId);
  return [...event.keys, ...freeingArgs(event, eventId, terms), maxSeats];
}

/** One cancellation of a seat's reservation by `userId` (anyone's when `anyOwner`). */
export function cancelReservationArgs(
  channelPrefix: string,
  eventId: string,
  seatId: string,
  userId: string,
  anyOwner: boolean,
  terms: FreeingTerms,
  startsAt: number | null,
): ScriptCall<FreeingKeys, CancelArgs> {
  const event = eventConstants(channelPrefix, eventId);
  return [...event.keys, ...freeingArgs(event, eventId, terms), seatId, userId, anyOwner ? 1 : 0, startsAt ?? ''];
}
