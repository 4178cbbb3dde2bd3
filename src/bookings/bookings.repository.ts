import type { Booking, BookingType } from './booking.js';
import type { OutboxNote } from '../outbox/outbox-note.js';

export type CreateOutcome =
  { readonly outcome: 'created' } | { readonly outcome: 'duplicate'; readonly existing: Booking };

export type WriteOutcome =
  | { readonly outcome: 'done' }
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'stale'; readonly currentVersion: number };

export interface BookingQuery {
  readonly userId: string | null;
  readonly from: number | null;
  readonly to: number | null;
  readonly type: BookingType | null;
  readonly after: string | null;
  readonly limit: number;
}

/**
 * Holiday bookings. A user's bookings, indexes and duplicate fingerprints share the user's hash slot, so create,
 * update and delete are each one atomic script.
 */
export abstract class BookingsRepository {
  /**
   * Stores the booking unless the owner has one with the same type, title, start and end. Each change also appends
   * its event (`booking.created`, `.updated`, `.deleted`, with `note`) to the owner's outbox in the same step.
   */
  abstract create(booking: Booking, note: OutboxNote): Promise<CreateOutcome>;

  /** The booking of that owner, or null. */
  abstract find(userId: string, bookingId: string): Promise<Booking | null>;

  /** The owner of a booking (for admins opening any booking), or null. */
  abstract ownerOf(bookingId: string): Promise<string | null>;

  /** Replaces `previous` with `next` if the stored booking is still at previous.version. */
  abstract update(previous: Booking, next: Booking, note: OutboxNote): Promise<WriteOutcome>;

  /** Deletes the booking if it is still at booking.version ('stale' otherwise). */
  abstract delete(booking: Booking, note: OutboxNote): Promise<WriteOutcome>;

  /** Bookings by start time, one user's or (userId null) everyone's, after a position; exact pages. */
  abstract list(query: BookingQuery): Promise<{ bookings: Booking[]; next: string | null }>;
}
