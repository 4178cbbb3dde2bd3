import { lexMember, parseLexMember } from '../redis/keys.js';
import type { StoredSeatState } from './event.js';

/**
 * The stored formats of seats, in one place for TypeScript. The seat state (a field of `{event:<id>}:seat-state`) is
 * `H|<userId>|<expiresAtMs>` (held) or `R|<userId>|<reservedAtMs>` (reserved); absent means available. The Lua
 * scripts that change seats read and write the same format, defined once for them in lua/include/seat-state.lua; a
 * change here is a change there.
 */
const STATE = /^([HR])\|([^|]+)\|(\d+)$/;

/** The state a stored value says, or undefined for a value that cannot be read. */
export function parseSeatState(value: string): StoredSeatState | undefined {
  const match = STATE.exec(value);
  if (!match) return undefined;
  const time = Number(match[3]);
  return match[1] === 'H'
    ? { kind: 'held', userId: match[2], until: time }
    : { kind: 'reserved', userId: match[2], at: time };
}

/** A seat a user reserved: member of `{user:<id>}:seat-reservations`, `<reservedAt, 15 digits>:<eventId>/<seatId>`. */
export interface SeatReservationRef {
  readonly eventId: string;
  readonly seatId: string;
  readonly at: number;
}

export function encodeSeatReservation(ref: SeatReservationRef): string {
  return lexMember(ref.at, `${ref.eventId}/${ref.seatId}`);
}

/** The seat a member names; `seatId` is '' when the member has no `/`. */
export function parseSeatReservation(member: string): SeatReservationRef {
  const { time, ref } = parseLexMember(member);
  const [eventId, seatId] = ref.split('/');
  return { eventId, seatId: seatId ?? '', at: time };
}
