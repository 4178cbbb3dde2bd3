import type { Restaurant, Table } from './restaurant.js';

export interface RestaurantReservation {
  readonly id: string;
  readonly restaurantId: string;
  readonly userId: string;
  readonly tableId: string;
  readonly start: number;
  readonly end: number;
  readonly partySize: number;
  readonly guestName: string | null;
  readonly notes: string | null;
  /**
   * Set on a reservation staff made for a guest without an account (a walk-in, a phone call): the guest's phone,
   * normalized (restaurants/guest-phone.ts). Its `userId` is then the staff account that took it.
   */
  readonly guestPhone: string | null;
  readonly status: 'booked' | 'cancelled';
  /** Grows with every move: a move computed from an older read is refused. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A live sitting: which table is taken from when (every sitting lasts the restaurant's sittingMinutes). */
export interface Sitting {
  readonly tableId: string;
  readonly reservationId: string;
  readonly start: number;
}

/** At most `max` live reservations of the customer may start in [from, to) (one local day of the restaurant). */
export interface DayCap {
  readonly from: number;
  readonly to: number;
  readonly max: number;
}

/** Where a reservation should move: new time, party size and the tables to try, in order of preference. */
export interface MoveChange {
  readonly start: number;
  readonly end: number;
  readonly partySize: number;
  readonly now: number;
  readonly sittingMs: number;
  readonly candidates: readonly string[];
  /** null: no cap (the caller manages the restaurant, or the move stays on its day). */
  readonly cap: DayCap | null;
}

/** `unchanged`: the move asked for what the reservation already is; nothing was written. */
export type MoveOutcome =
  { readonly tableId: string } | 'unchanged' | 'missing' | 'cancelled' | 'no-table' | 'changed' | 'limit';

export interface BookRequest {
  readonly reservation: Omit<RestaurantReservation, 'tableId' | 'status' | 'updatedAt' | 'version'>;
  readonly sittingMs: number;
  /** Tables to try, in order of preference. */
  readonly candidates: readonly string[];
  /** null: no cap (the caller manages the restaurant). */
  readonly cap: DayCap | null;
}

export type BookOutcome = { readonly tableId: string } | 'no-table' | 'limit';

/**
 * Restaurants, their tables and reservations, all in the restaurant's hash slot. Booking, moving and cancelling a
 * reservation are each one script that checks the table's sittings and writes in the same step, so no table ever
 * holds two overlapping live reservations, whatever the number of service instances.
 */
export abstract class RestaurantsRepository {
  abstract create(restaurant: Restaurant): Promise<void>;

  /** The restaurant with its tables, in one round trip; null when unknown. */
  abstract find(restaurantId: string): Promise<{ restaurant: Restaurant; tables: Table[] } | null>;

  abstract list(after: string | null, limit: number): Promise<{ restaurants: Restaurant[]; next: string | null }>;

  abstract setOpeningHours(restaurant: Restaurant): Promise<void>;

  abstract addTable(restaurantId: string, table: Table): Promise<void>;

  /** 'removed', 'missing', or 'busy' when a sitting on it has not ended yet. */
  abstract removeTable(
    restaurantId: string,
    tableId: string,
    now: number,
    sittingMs: number,
  ): Promise<'removed' | 'missing' | 'busy'>;

  /** Live sittings starting in [from, to). */
  abstract sittings(restaurantId: string, from: number, to: number): Promise<Sitting[]>;

  /**
   * Books the first free candidate table, or 'no-table' when none is free, or 'limit' when the customer already has
   * cap.max live reservations in the cap's day; decided in one step with the write, so racing bookings of one
   * customer never pass the cap.
   */
  abstract book(request: BookRequest): Promise<BookOutcome>;

  abstract findReservation(restaurantId: string, reservationId: string): Promise<RestaurantReservation | null>;

  /**
   * Moves a live reservation if it is still at reservation.version: the chosen table, or 'missing' | 'cancelled' |
   * 'no-table' | 'changed' | 'limit' (its customer would have more than change.cap.max live reservations that day).
   * Nothing changes on failure.
   */
  abstract move(reservation: RestaurantReservation, change: MoveChange): Promise<MoveOutcome>;

  /** Cancels the reservation (userId: its customer, whose live reservations it leaves). */
  abstract cancel(restaurantId: string, reservationId: string, userId: string, now: number): Promise<boolean>;

  /** Reservations (cancelled too) starting in [from, to), by start. */
  abstract reservations(restaurantId: string, from: number, to: number): Promise<RestaurantReservation[]>;
}
