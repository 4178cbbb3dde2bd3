import { toIso } from '../common/iso-date-time.js';
import { keys } from '../redis/keys.js';
import type { HoldTerms } from './seats.repository.js';

/**
 * The seat scripts' KEYS and ARGV, in the order their headers give (lua/hold-seats-6.lua, lua/release-hold-*.lua):
 * the one place that knows it. The repository, the scripts' own tests and the bench's bare baseline all build their
 * calls here, so a script that changes its layout changes one file. `channelPrefix` is the client's key prefix:
 * ioredis prefixes keys, not pub/sub channels.
 */
export function seatEventKeys(eventId: string, userId: string): string[] {
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
): (string | number)[] {
  return [
    ...seatEventKeys(eventId, userId),
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

/** One release command; `notice` is the user event published once released (empty: none). */
export function releaseHoldArgs(
  channelPrefix: string,
  eventId: string,
  userId: string,
  seatId: string,
  now: number,
  notice: string,
): (string | number)[] {
  return [
    ...seatEventKeys(eventId, userId),
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
