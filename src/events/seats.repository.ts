import type { ReservedPrice, SeatStates, StoredSeatState } from './event.js';

/** Seats a script held for the first fitting entry of the waiting line (an offer), until the terms' offerUntil. */
export interface OfferMade {
  readonly userId: string;
  readonly entryId: string;
  readonly seatIds: readonly string[];
}

/** Every outcome of a change that may free seats names the offers the freed seats led to (none: []). */
interface Offers {
  readonly offers: readonly OfferMade[];
}

export type HoldOutcome =
  | ({ readonly outcome: 'held'; readonly seatIds: string[] } & Offers)
  | ({ readonly outcome: 'taken'; readonly seatIds: string[] } & Offers)
  | ({ readonly outcome: 'limit'; readonly liveHolds: number } & Offers)
  | ({ readonly outcome: 'renewal-limit'; readonly seatIds: string[] } & Offers)
  | ({ readonly outcome: 'not-enough'; readonly free: number } & Offers)
  | { readonly outcome: 'unknown-category' }
  | { readonly outcome: 'started' };

export type ReleaseOutcome = { readonly released: boolean } & Offers;

export type CancelOutcome =
  | ({ readonly outcome: 'cancelled'; readonly userId: string; readonly reservedAt: number } & Offers)
  | { readonly outcome: 'not-reserved' }
  | { readonly outcome: 'not-yours' }
  | { readonly outcome: 'started' };

/** What a change that may free seats needs to know: the clock, and when an offer made now ends. */
export interface FreeingTerms {
  readonly now: number;
  /** When an offer to the waiting line made now ends (ms). */
  readonly offerUntil: number;
  /** Most seats one user may hold in an event at once (MAX_HOLDS_PER_USER): offers never take a user past it. */
  readonly maxHolds: number;
}

/** Best available: how many seats, of which category (none: the whole event), and which kind. */
export interface BestSeatsRequest {
  readonly quantity: number;
  readonly categoryId?: string | null;
  readonly adjacent: boolean;
  readonly accessible: boolean;
}

/** What a hold needs to know besides the seats: the clock and the event's and service's limits. */
export interface HoldTerms extends FreeingTerms {
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
   * Holds the best `quantity` free seats (by order; in one row with adjacent; accessible ones only with accessible) of
   * a category or of the whole event, all or nothing, in one step: 'not-enough' with how many of that category are
   * free, or the refusals of hold(). Lapsed holds met on the way are freed first (the waiting line gets them).
   */
  abstract holdBest(eventId: string, userId: string, request: BestSeatsRequest, terms: HoldTerms): Promise<HoldOutcome>;

  /**
   * Ends the user's live hold on the seat (released: false when there was none), freeing it: to the waiting line
   * first. `notice` (encodeUserEvent) is published on the user's channel in the same step when it ended one.
   */
  abstract release(
    eventId: string,
    userId: string,
    seatId: string,
    terms: FreeingTerms,
    notice?: string,
  ): Promise<ReleaseOutcome>;

  /**
   * Cancels the seat's reservation (the reserving user's, or anyone's with anyOwner) before startsAt, freeing the
   * seat: to the waiting line first. The owner's reservation index entry goes too.
   */
  abstract cancelReservation(
    eventId: string,
    seatId: string,
    userId: string,
    anyOwner: boolean,
    terms: FreeingTerms,
    startsAt: number | null,
  ): Promise<CancelOutcome>;

  /** The user's live holds across events, read from each event's own per-user hold set (exact). */
  abstract holdsOf(userId: string, now: number): Promise<UserSeat[]>;

  /** The stored states of these seats of the event (undefined: available or unreadable), in the order asked. */
  abstract statesOf(eventId: string, seatIds: readonly string[]): Promise<(StoredSeatState | undefined)[]>;

  /** Removes entries of the user's reservation index that no longer match a stored reservation (review 4). */
  abstract forgetReservations(userId: string, seats: readonly UserSeat[]): Promise<void>;

  /** The user's reserved seats, oldest first, after the given position. */
  abstract reservationsOf(
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<{ seats: UserSeat[]; next: string | null }>;

  /**
   * Frees holds that ran out before `now` in up to maxEvents events (lapsed offers too), offering them to the
   * waiting line first and announcing the rest on the event's channel (as `available`). Safe to run from every
   * instance at once. Answers how many events were visited and the offers made.
   */
  abstract sweep(
    terms: FreeingTerms,
    maxEvents: number,
    /** Called after each event's script with the offers it made (announced per event: review 4). */
    onOffers?: (eventId: string, offers: readonly OfferMade[]) => Promise<void>,
  ): Promise<{ visited: number; offers: EventOffer[] }>;

  /** sweep() with offers lasting DEFAULT_OFFER_MS, for callers that only count the events visited. */
  async expireDue(now: number, maxEvents: number): Promise<number> {
    return (await this.sweep({ now, offerUntil: now + DEFAULT_OFFER_MS, maxHolds: DEFAULT_MAX_HOLDS }, maxEvents))
      .visited;
  }
}

/** An offer made in an event. */
export interface EventOffer extends OfferMade {
  readonly eventId: string;
}

/** WAITLIST_OFFER_SECONDS' default, in ms. */
export const DEFAULT_OFFER_MS = 600_000;
/** MAX_HOLDS_PER_USER's default, for expireDue's offers. */
export const DEFAULT_MAX_HOLDS = 10;
