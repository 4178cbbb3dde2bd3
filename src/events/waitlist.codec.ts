/**
 * The waiting line's stored formats, for TypeScript (lua/include/free-seats.lua is the Lua definition; a change here
 * is a change there):
 * - a line entry, field `<entryId>` of `{event:<id>}:waitlist-entries`: `<userId>|<quantity>|<categoryId>|<joinedAtMs>`,
 *   categoryId empty for "any seat of the event";
 * - an offer, field `<seatId>` of `{event:<id>}:offers`: `<userId>|<entryId>|<expiresAtMs>`, the waiting-line entry
 *   the seat's hold (and the reservation that may follow it) came from.
 */
export interface WaitlistEntry {
  readonly userId: string;
  readonly quantity: number;
  /** null: any seat of the event. */
  readonly categoryId: string | null;
  readonly joinedAt: number;
}

export interface SeatOffer {
  readonly userId: string;
  readonly entryId: string;
  readonly expiresAt: number;
}

const ENTRY = /^([^|]+)\|(\d+)\|([^|]*)\|(\d+)$/;
const OFFER = /^([^|]+)\|([^|]+)\|(\d+)$/;

export function parseWaitlistEntry(value: string): WaitlistEntry | undefined {
  const match = ENTRY.exec(value);
  if (!match) return undefined;
  return {
    userId: match[1],
    quantity: Number(match[2]),
    categoryId: match[3] === '' ? null : match[3],
    joinedAt: Number(match[4]),
  };
}

export function parseSeatOffer(value: string): SeatOffer | undefined {
  const match = OFFER.exec(value);
  return match ? { userId: match[1], entryId: match[2], expiresAt: Number(match[3]) } : undefined;
}

/** The per-quantity line an entry waits in (keys.waitlistLine's `line`). */
export function waitlistLineOf(quantity: number, categoryId: string | null): string {
  return `${quantity}:${categoryId ?? ''}`;
}

/**
 * The marker the best-available script replaces with the seat ids it picked (a JSON array) in the seat.held user event
 * encoded in TypeScript. The waitlist.offered event is built by the freeing scripts themselves (lua/include/free-seats.lua).
 */
export const SEAT_IDS_MARK = '\u0001S';
