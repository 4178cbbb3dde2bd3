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

export type SeatStatus = 'available' | 'held' | 'reserved';

export function statusAt(state: StoredSeatState | undefined, now: number): SeatStatus {
  if (!state) return 'available';
  if (state.kind === 'reserved') return 'reserved';
  return state.until > now ? 'held' : 'available';
}

export function planOf(event: EventRecord, seatIds: readonly string[]): SeatingPlan {
  return { event, seatIds, numberOf: new Map(seatIds.map((id, index) => [id, index + 1])) };
}
