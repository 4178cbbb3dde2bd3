import { toIso } from '../common/iso-date-time.js';
import { LuaScript } from '../redis/lua-scripts.js';
import type { ScriptCall } from '../redis/lua-scripts.js';
import { keys } from '../redis/keys.js';
import type { HoldOutcome, HoldTerms, ReserveOutcome } from './seats.repository.js';

/**
 * The seat scripts: their names, KEYS and ARGV, in the order their headers give (lua/hold-seats-6.lua, ...), and what
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

type HoldKeys = readonly [...SeatEventKeys, holdRenewals: string];
/** The reserve script's keys: the outbox gets its `seat.reserved`, with the event's creator as its owner. */
type ReserveKeys = readonly [...SeatEventKeys, outbox: string, event: string];
type HoldArgs = readonly [
  now: number,
  expiresAt: number,
  maxHolds: number,
  userId: string,
  seatChannel: string,
  eventId: string,
  nowIso: string,
  startsAt: number | '',
  maxRenewals: number,
  token: string,
  userChannel: string,
  notice: string,
  ...seatIds: string[],
];
type HoldReply = [status: number, ...rest: (string | number)[]];

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

type ReleaseArgs = readonly [
  seatId: string,
  userId: string,
  now: number,
  seatChannel: string,
  eventId: string,
  nowIso: string,
  userChannel: string,
  notice: string,
];

type ExpireKeys = readonly [
  seatState: string,
  holdExpiries: string,
  seatSeq: string,
  seatLog: string,
  outbox: string,
  event: string,
];
type ExpireArgs = readonly [now: number, seatChannel: string, eventId: string, nowIso: string, maxSeats: number];

const HELD: HoldOutcome = { outcome: 'held' };
const STARTED = { outcome: 'started' } as const;

export const seatScripts = {
  hold: new LuaScript<HoldKeys, HoldArgs, HoldReply, HoldOutcome>('seats:hold', lua, 'hold-seats-6.lua', {
    1: () => HELD,
    [-1]: ([, ...seatIds]) => ({ outcome: 'taken', seatIds: seatIds as string[] }),
    [-2]: ([, liveHolds]) => ({ outcome: 'limit', liveHolds: Number(liveHolds) }),
    [-3]: ([, ...seatIds]) => ({ outcome: 'renewal-limit', seatIds: seatIds as string[] }),
    [-4]: () => STARTED,
  }),
  reserve: new LuaScript<ReserveKeys, ReserveArgs, ReserveReply, ReserveOutcome>(
    'seats:reserve',
    lua,
    'reserve-seats-7.lua',
    {
      1: ([, newlyReserved, ...times]) => ({
        outcome: 'reserved',
        newlyReserved: Number(newlyReserved),
        reservedAt: times.map(Number),
      }),
      [-1]: ([, ...seatIds]) => ({ outcome: 'not-held', seatIds: seatIds as string[] }),
      [-2]: () => STARTED,
    },
  ),
  /** Whether the user's live hold ended. */
  release: new LuaScript<SeatEventKeys, ReleaseArgs, number, boolean>('seats:release', lua, 'release-hold-5.lua', {
    1: () => true,
    0: () => false,
  }),
  /** Answers the next pending expiry of the event (ms), or -1 when none is left. */
  expire: new LuaScript<ExpireKeys, ExpireArgs, number>('seats:expire', lua, 'expire-holds-6.lua'),
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

/** One hold command; `token` tells a command ioredis re-sent after a reconnect from a new one. */
export function holdSeatsArgs(
  channelPrefix: string,
  eventId: string,
  userId: string,
  seatIds: readonly string[],
  terms: HoldTerms,
  token: string,
): ScriptCall<HoldKeys, HoldArgs> {
  return [
    keys.seatState(eventId),
    keys.userHoldsInEvent(eventId, userId),
    keys.seatSeq(eventId),
    keys.seatLog(eventId),
    keys.holdExpiries(eventId),
    keys.holdRenewals(eventId),
    terms.now,
    terms.expiresAt,
    terms.maxHolds,
    userId,
    channelPrefix + keys.seatChannel(eventId),
    eventId,
    toIso(terms.now),
    terms.startsAt ?? '',
    terms.maxRenewals,
    token,
    channelPrefix + keys.userChannel(userId),
    terms.notice ?? '',
    ...seatIds,
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

/** One release command; `notice` is the user event published once released (empty: none). */
export function releaseHoldArgs(
  channelPrefix: string,
  eventId: string,
  userId: string,
  seatId: string,
  now: number,
  notice: string,
): ScriptCall<SeatEventKeys, ReleaseArgs> {
  return [
    keys.seatState(eventId),
    keys.userHoldsInEvent(eventId, userId),
    keys.seatSeq(eventId),
    keys.seatLog(eventId),
    keys.holdExpiries(eventId),
    seatId,
    userId,
    now,
    channelPrefix + keys.seatChannel(eventId),
    eventId,
    toIso(now),
    channelPrefix + keys.userChannel(userId),
    notice,
  ];
}

/** One sweep of an event's lapsed holds, at most `maxSeats` of them. */
export function expireHoldsArgs(
  channelPrefix: string,
  eventId: string,
  now: number,
  maxSeats: number,
): ScriptCall<ExpireKeys, ExpireArgs> {
  return [
    keys.seatState(eventId),
    keys.holdExpiries(eventId),
    keys.seatSeq(eventId),
    keys.seatLog(eventId),
    keys.eventOutbox(eventId),
    keys.event(eventId),
    now,
    channelPrefix + keys.seatChannel(eventId),
    eventId,
    toIso(now),
    maxSeats,
  ];
}
