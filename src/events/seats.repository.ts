import type { ReservedPrice, SeatStates, StoredSeatState } from './event.js';

export type HoldOutcome =
  | { readonly outcome: 'held' }
  | { readonly outcome: 'taken'; readonly seatIds: string[] }
  | { readonly outcome: 'limit'; readonly liveHolds: number }
  | { readonly outcome: 'renewal-limit'; readonly seatIds: string[] }
  | { readonly outcome: 'started' };

/** What a hold needs to know besides the seats: the clock and the event's and service's limits. */
export interface HoldTerms {
  readonly now: number;
  readonly expiresAt: number;
  /** Most seats one user may hold in the event at once. */
  readonly maxHolds: number;
  /** Most renewals of one seat by one user in a row. */
  readonly maxRenewals: number;
  /** The event's start; null: it has none, and never starts. */
  readonly startsAt: number | null;
  /** A user event (encodeUserEvent) published on the user's channel in the same step when the hold succeeds. */
  readonly notice?: string;
}

export type ReserveOutcome =
  | {
      readonly outcome: 'reserved';
      readonly newlyReserved: number;
      /** Per seat, in the order asked. */
      readonly reservedAt: number[];
      /** Per seat: its category and price when it was reserved (undefined: reserved before prices existed). */
      readonly prices: (ReservedPrice | undefined)[];
    }
  | { readonly outcome: 'not-held'; readonly seatIds: string[] }
  | { readonly outcome: 'started' };

export interface UserSeat {
  readonly eventId: string;
  readonly seatId: string;
  /** expiresAt for a hold, reservedAt for a reservation. */
  readonly at: number;
}

/**
 * Seat state of events. hold, reserve and release are each one atomic step in the event's hash slot, correct with
 * any number of service instances, and each publishes the change on the event's seat channel.
 */
export abstract class SeatsRepository {
  /** Every seat that is held (maybe expired: compare with now) or reserved, read in one step; one round trip. */
  abstract states(eventId: string): Promise<SeatStates>;

  /**
   * Holds all the seats for the user until expiresAt, or none: 'taken' names seats someone else holds or anyone
   * reserved; 'limit' when the user would hold more than maxHolds seats of the event; 'renewal-limit' names seats the
   * user has held more than maxRenewals times in a row (holding again within one hold time of the previous hold's
   * end, released or not, continues the row); 'started' once now >= startsAt. Re-holding renews. Decided in one
   * step with the writes, so concurrent renewals by one user never pass the limit.
   */
  abstract hold(eventId: string, userId: string, seatIds: readonly string[], terms: HoldTerms): Promise<HoldOutcome>;

  /**
   * Reserves seats the user holds at `now`, all or none. Seats the user already reserved keep their reservedAt (also
   * once the event started); anything else is 'started' once now >= startsAt.
   */
  abstract reserve(
    eventId: string,
    userId: string,
    seatIds: readonly string[],
    now: number,
    startsAt: number | null,
  ): Promise<ReserveOutcome>;

  /**
   * Ends the user's live hold on the seat; false when there was none. `notice` (encodeUserEvent) is published on the
   * user's channel in the same step when it ended one.
   */
  abstract release(eventId: string, userId: string, seatId: string, now: number, notice?: string): Promise<boolean>;

  /** The user's live holds across events, read from each event's own per-user hold set (exact). */
  abstract holdsOf(userId: string, now: number): Promise<UserSeat[]>;

  /** The stored states of these seats of the event (undefined: available or unreadable), in the order asked. */
  abstract statesOf(eventId: string, seatIds: readonly string[]): Promise<(StoredSeatState | undefined)[]>;

  /** The user's reserved seats, oldest first, after the given position. */
  abstract reservationsOf(
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<{ seats: UserSeat[]; next: string | null }>;

  /**
   * Frees holds that ran out before `now` in up to maxEvents events and announces each on the event's channel (as
   * `available`). Safe to run from every instance at once. Returns how many events were visited.
   */
  abstract expireDue(now: number, maxEvents: number): Promise<number>;
}
