import type { LayoutDocument, Price } from './venue-layout.js';

export interface EventRecord {
  readonly id: string;
  readonly name: string;
  readonly totalSeats: number;
  readonly holdSeconds: number;
  readonly startsAt: number | null;
  readonly createdAt: number;
  readonly createdBy: string;
}

/** What a seat view shows of a seat besides its id and status: where it is and what it is. Never changes. */
export interface PlanSeat {
  readonly section: string;
  readonly row: string;
  readonly label: string;
  readonly categoryId: string;
  readonly accessible: boolean;
}

/** A section's seats are consecutive in layout order: seatIds[start] .. seatIds[end - 1]. */
export interface PlanSection {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** An event with its seats. Immutable once created, so it may be cached anywhere. */
export interface SeatingPlan {
  readonly event: EventRecord;
  /** Seat ids in layout order; for numberOfSeats events seat n is seatIds[n - 1]. */
  readonly seatIds: readonly string[];
  /** A seat's place in layout order, from 1 (its `number`). */
  readonly numberOf: ReadonlyMap<string, number>;
  /** The seats' static facts, by the same index as seatIds. */
  readonly seats: readonly PlanSeat[];
  readonly sections: readonly PlanSection[];
  /** The categories in the order the layout gives them (their current prices are not part of the plan). */
  readonly categories: readonly { readonly id: string; readonly name: string }[];
  /** The static chart (GET /v1/events/{id}/layout) as bytes, and its strong ETag. */
  readonly layout: { readonly json: Buffer; readonly etag: string };
}

/** A reserved seat's category and its price at the moment it was reserved (null: the category had no price). */
export interface ReservedPrice {
  readonly categoryId: string;
  readonly price: Price | null;
}

/** What the store says about a seat that is not plainly available. A hold counts only while `until > now`. */
export type StoredSeatState =
  | { readonly kind: 'held'; readonly userId: string; readonly until: number }
  | {
      readonly kind: 'reserved';
      readonly userId: string;
      readonly at: number;
      /** Absent for reservations made before prices existed (issue 19). */
      readonly price?: ReservedPrice;
    };

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
  /** True when the seat is held by a waiting-line offer that is still its hold (absent: no offers were read). */
  offered?(seatId: string): boolean;
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

/** The plan of an event from its stored chart (layout order, the same order as its seat ids). */
export function planOf(event: EventRecord, seatIds: readonly string[], chart: string, etag: string): SeatingPlan {
  const doc = JSON.parse(chart) as LayoutDocument;
  const seats: PlanSeat[] = [];
  const sections: PlanSection[] = [];
  for (const section of doc.sections) {
    const start = seats.length;
    for (const row of section.rows) {
      for (const seat of row.seats) {
        seats.push({
          section: section.name,
          row: row.label,
          label: seat.label,
          categoryId: seat.categoryId,
          accessible: seat.accessible,
        });
      }
    }
    sections.push({ name: section.name, start, end: seats.length });
  }
  if (seats.length !== seatIds.length) throw new Error(`event ${event.id}: its chart and its seat list disagree`);
  return {
    event,
    seatIds,
    numberOf: new Map(seatIds.map((id, index) => [id, index + 1])),
    seats,
    sections,
    categories: doc.categories,
    layout: { json: Buffer.from(chart), etag },
  };
}
