/**
 * What the domain modules tell the rest of the system after a change is stored: one typed event per change, emitted
 * through the DomainEvents port. The notifier (notifications/notifier.ts) turns them into reminders and live
 * messages. This folder imports nothing, so every domain module and notifications can depend on it without a cycle;
 * the payloads therefore carry the facts the side effects need (ids, times, the reminder's due time) and the view a
 * live message shows, not the modules' own types.
 */

/** The view a live message carries (the module's response DTO of the changed thing, as the API answers it). */
export type LiveView = object;

interface BookingFacts {
  readonly bookingId: string;
  readonly userId: string;
  /** Whether the version this change replaced had a reminder (a job that may need moving or removing). */
  readonly hadReminder: boolean;
}

/** A booking that exists after the change: its reminder is due at `reminderAt` (epoch ms), or it has none (null). */
interface BookingState extends BookingFacts {
  readonly title: string;
  readonly startTime: number;
  readonly version: number;
  readonly reminderAt: number | null;
  readonly view: LiveView;
}

export type BookingEvent =
  | ({ readonly type: 'booking.created' } & BookingState)
  | ({ readonly type: 'booking.updated' } & BookingState)
  | ({ readonly type: 'booking.deleted' } & BookingFacts);

interface AppointmentFacts {
  readonly appointmentId: string;
  readonly clientId: string;
  readonly providerId: string;
  readonly start: number;
  readonly view: LiveView;
}

export type AppointmentEvent = {
  readonly type: 'appointment.reserved' | 'appointment.confirmed' | 'appointment.cancelled' | 'appointment.expired';
} & AppointmentFacts;

interface RestaurantReservationFacts {
  readonly reservationId: string;
  readonly restaurantId: string;
  readonly restaurantName: string;
  readonly userId: string;
  /**
   * Staff booked it for a guest without an account (`userId` is the staff account): no reminder, there is nobody to
   * send it to.
   */
  readonly guest: boolean;
  readonly start: number;
  /** The start in the restaurant's own time zone, as its reminder names it. */
  readonly localStart: string;
  readonly view: LiveView;
}

export type RestaurantReservationEvent = {
  readonly type: 'restaurant-reservation.booked' | 'restaurant-reservation.moved' | 'restaurant-reservation.cancelled';
} & RestaurantReservationFacts;

/** Seats newly reserved (holds and releases are announced by their Lua scripts, in the same round trip). */
export interface SeatsReservedEvent {
  readonly type: 'seat.reserved';
  readonly userId: string;
  readonly eventId: string;
  readonly seatIds: readonly string[];
}

/**
 * Seats freed in an event were offered to the first fitting entry of its waiting line: they are held for that user
 * until expiresAt (epoch ms). The live message went out from the script that made the offer; this one is for the
 * inbox.
 */
export interface WaitlistOfferedEvent {
  readonly type: 'waitlist.offered';
  readonly userId: string;
  readonly eventId: string;
  readonly eventName: string;
  readonly entryId: string;
  readonly seatIds: readonly string[];
  readonly expiresAt: number;
}

export type DomainEvent =
  BookingEvent | AppointmentEvent | RestaurantReservationEvent | SeatsReservedEvent | WaitlistOfferedEvent;

/**
 * The port domain services tell what happened through, after the change is stored. `emit` never rejects: its side
 * effects are best effort (a failed reminder or live message is logged, the change stands), and it settles once
 * they are done, so a live message still goes out before the answer to the request that made the change.
 */
export abstract class DomainEvents {
  abstract emit(event: DomainEvent): Promise<void>;
}
