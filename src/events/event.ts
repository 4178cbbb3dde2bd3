export interface EventRecord {
  readonly id: string;
  readonly name: string;
  readonly totalSeats: number;
  readonly holdSeconds: number;
  readonly startsAt: number | null;
  readonly createdAt: number;
  readonly createdBy: string;
}

/** An event with its seats. Immutable once created, so it may be cached anywhere. */
export interface SeatingPlan {
  readonly event: EventRecord;
  /** Seat ids by number: seat n is seatIds[n - 1]. */
  readonly seatIds: readonly string[];
  readonly numberOf: ReadonlyMap<string, number>;
}

/** What the store says about a seat that is not plainly available. A hold counts only while `until > now`. */
export type StoredSeatState =
  | { readonly kind: 'held'; readonly userId: string; readonly until: number }
  | { readonly kind: 'reserved'; readonly userId: string; readonly at: number };

/**
 * An event's seat states as read from the store in one step: the seats that are not plainly available. Two reads
 * that found exactly the same stored states say so through sameAs, which lets a seat map computed from one serve the
 * other (see SeatMapCache).
 */
export interface SeatStates {
  get(seatId: string): StoredSeatState | undefined;
  /** Every state read, in no particular order. */
  values(): Iterable<StoredSeatState>;
  /** True when both were read from identical stored states (every seat's stored value the same). */
  sameAs(other: SeatStates): boolean;
}

export type SeatStatus = 'available' | 'held' | 'reserved';

export function statusAt(state: StoredSeatState | undefined, now: number): SeatStatus {
  if (!state) return 'available';
  if (state.kind === 'reserved') return 'reserved';
  return state.until > now ? 'held' : 'available';
}

/**
 * The clock times between which statusAt gives every one of these states the status it has at `now`: holds end by
 * time alone, without a write, so a status computed at `now` holds from the latest hold that had ended by then (a
 * hold counts while until > now) until the earliest one still running ends. [from, until): from <= t < until.
 */
export function statusWindow(states: SeatStates, now: number): { readonly from: number; readonly until: number } {
  let from = -Infinity;
  let until = Infinity;
  for (const state of states.values()) {
    if (state.kind !== 'held') continue;
    if (state.until > now) until = Math.min(until, state.until);
    else from = Math.max(from, state.until);
  }
  return { from, until };
}

export function planOf(event: EventRecord, seatIds: readonly string[]): SeatingPlan {
  return { event, seatIds, numberOf: new Map(seatIds.map((id, index) => [id, index + 1])) };
}
