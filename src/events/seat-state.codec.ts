import { lexMember, parseLexMember } from '../redis/keys.js';
import type { ReservedPrice, StoredSeatState } from './event.js';

/**
 * The stored formats of seats, in one place for TypeScript. The seat state (a field of `{event:<id>}:seat-state`) is
 * `H|<userId>|<expiresAtMs>` (held) or `R|<userId>|<reservedAtMs>|<categoryId>|<amount>|<currency>` (reserved, with
 * the category and price when it was reserved; amount and currency empty without a price; `R|<userId>|<reservedAtMs>`
 * for reservations made before issue 19); absent means available. The Lua scripts that change seats read and write
 * the same format, defined once for them in lua/include/seat-state.lua; a change here is a change there.
 */
const STATE = /^([HR])\|([^|]+)\|(\d+)(?:\|([A-Za-z0-9_-]*)\|(\d*)\|([A-Z]*))?$/;

/** The state a stored value says, or undefined for a value that cannot be read. */
export function parseSeatState(value: string): StoredSeatState | undefined {
  const match = STATE.exec(value);
  if (!match) return undefined;
  const time = Number(match[3]);
  if (match[1] === 'H') return match[4] === undefined ? { kind: 'held', userId: match[2], until: time } : undefined;
  // No category: reserved before prices existed, or in an event the venue migration had not reached yet.
  if (!match[4]) return match[5] || match[6] ? undefined : { kind: 'reserved', userId: match[2], at: time };
  const price = reservedPrice(match[4], match[5], match[6]);
  return price ? { kind: 'reserved', userId: match[2], at: time, price } : undefined;
}

/**
 * The snapshot fields of a reservation (as stored, or as the reserve script answers them): undefined when there is
 * none (categoryId '') or it cannot be read (an amount without a currency).
 */
export function reservedPrice(categoryId: string, amount: string, currency: string): ReservedPrice | undefined {
  if (categoryId === '') return undefined;
  if (amount === '' && currency === '') return { categoryId, price: null };
  if (!/^\d+$/.test(amount) || !/^[A-Z]{3}$/.test(currency)) return undefined;
  return { categoryId, price: { amount: Number(amount), currency } };
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
