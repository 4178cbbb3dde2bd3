import { Injectable, Logger } from '@nestjs/common';
import { toIso } from '../common/iso-date-time.js';
import { AppConfig } from '../config/app-config.js';
import { DomainEvents } from '../domain-events/domain-events.js';
import type {
  AppointmentEvent,
  BookingEvent,
  DomainEvent,
  RestaurantReservationEvent,
  WaitlistOfferedEvent,
} from '../domain-events/domain-events.js';
import { Clock } from '../common/clock.js';
import { notificationIdOf } from './bull-reminders.js';
import { InboxRepository } from './inbox.repository.js';
import { LiveEvents } from './live-events.js';
import { Reminders, titleStarting } from './reminders.js';
import type { Reminder } from './reminders.js';

/** What to do with an event's reminder job: schedule (or move) it, remove it, or leave the queue alone. */
type ReminderStep = { readonly cancel: string } | { readonly schedule: Parameters<Reminders['schedule']>[0] } | null;

const bookingReminderId = (bookingId: string) => `booking-${bookingId}`;

/**
 * The reminder of a booking due at `reminderAt`: what a change schedules, and what BookingReminderCheck wants instead
 * when a job fires for a time the booking no longer has.
 */
export function bookingReminder(booking: {
  readonly bookingId: string;
  readonly userId: string;
  readonly title: string;
  readonly startTime: number;
  readonly version: number;
  readonly reminderAt: number;
}): Reminder {
  return {
    id: bookingReminderId(booking.bookingId),
    userId: booking.userId,
    runAt: booking.reminderAt,
    type: 'booking.reminder',
    ...titleStarting(booking.title, booking.startTime, booking.reminderAt),
    data: { bookingId: booking.bookingId, startTime: toIso(booking.startTime), version: booking.version },
  };
}

/** The ids an event is about, for the log line of a side effect that failed. */
function idsOf(event: DomainEvent): string {
  switch (event.type) {
    case 'booking.created':
    case 'booking.updated':
    case 'booking.deleted':
      return `booking ${event.bookingId} of user ${event.userId}`;
    case 'seat.reserved':
    case 'waitlist.offered':
      return `event ${event.eventId} seats ${event.seatIds.join(',')} of user ${event.userId}`;
    case 'restaurant-reservation.booked':
    case 'restaurant-reservation.moved':
    case 'restaurant-reservation.cancelled':
      return `reservation ${event.reservationId} at ${event.restaurantId} of user ${event.userId}`;
    default:
      return `appointment ${event.appointmentId} of client ${event.clientId} with ${event.providerId}`;
  }
}

/**
 * The one subscriber of the domain events: keeps reminder jobs in step with what they remind of and tells the users
 * concerned, in that order, before the request that made the change is answered. Both are best effort, decided
 * here and only here: the change is already stored, so a failure (Redis or the queue briefly away) is logged at warn
 * with the event and its ids and never turns the request's success into an error.
 */
@Injectable()
export class Notifier extends DomainEvents {
  private readonly logger = new Logger('Notifier');

  constructor(
    private readonly live: LiveEvents,
    private readonly reminders: Reminders,
    private readonly config: AppConfig,
    private readonly inbox: InboxRepository,
    private readonly clock: Clock,
  ) {
    super();
  }

  async emit(event: DomainEvent): Promise<void> {
    const reminder = this.reminderStep(event);
    if (reminder !== null) {
      try {
        await ('cancel' in reminder
          ? this.reminders.cancel(reminder.cancel)
          : this.reminders.schedule(reminder.schedule));
      } catch (error) {
        this.failed(event, 'reminder', error);
      }
    }
    switch (event.type) {
      case 'booking.deleted':
        return this.publish(event, event.userId, { bookingId: event.bookingId });
      case 'booking.created':
      case 'booking.updated':
        return this.publish(event, event.userId, { booking: event.view });
      case 'seat.reserved':
        return this.publish(event, event.userId, { eventId: event.eventId, seatIds: event.seatIds });
      case 'restaurant-reservation.booked':
      case 'restaurant-reservation.moved':
      case 'restaurant-reservation.cancelled':
        return this.publish(event, event.userId, { reservation: event.view });
      case 'waitlist.offered':
        return this.toInbox(event);
      default: {
        const data = { appointment: event.view };
        await Promise.all([this.publish(event, event.clientId, data), this.publish(event, event.providerId, data)]);
      }
    }
  }

  private async publish(event: DomainEvent, userId: string, data: Record<string, unknown>): Promise<void> {
    try {
      await this.live.publish(userId, event.type, data);
    } catch (error) {
      this.failed(event, `live message to user ${userId}`, error);
    }
  }

  /**
   * An offer waits in the inbox too (the script already sent the live `waitlist.offered`): one notification per
   * offer, keyed by its line entry, so a repeated emit adds it once.
   */
  private async toInbox(event: WaitlistOfferedEvent): Promise<void> {
    const count = event.seatIds.length;
    try {
      await this.inbox.add(event.userId, {
        id: notificationIdOf(`waitlist-offer-${event.entryId}`),
        type: event.type,
        title: `${count} ${count === 1 ? 'seat is' : 'seats are'} held for you at ${event.eventName} until ${toIso(event.expiresAt)}: reserve ${count === 1 ? 'it' : 'them'} before then`,
        data: {
          eventId: event.eventId,
          entryId: event.entryId,
          seatIds: event.seatIds,
          expiresAt: toIso(event.expiresAt),
        },
        createdAt: this.clock.now(),
      });
    } catch (error) {
      this.failed(event, 'inbox notification', error);
    }
  }

  private failed(event: DomainEvent, what: string, error: unknown): void {
    this.logger.warn(`${event.type}: ${what} failed for ${idsOf(event)}: ${(error as Error).message}`);
  }

  private reminderStep(event: DomainEvent): ReminderStep {
    switch (event.type) {
      case 'booking.created':
      case 'booking.updated':
      case 'booking.deleted':
        return this.bookingReminder(event);
      case 'restaurant-reservation.booked':
      case 'restaurant-reservation.moved':
      case 'restaurant-reservation.cancelled':
        return this.restaurantReminder(event);
      case 'seat.reserved':
      case 'waitlist.offered':
        return null;
      default:
        return this.appointmentReminder(event);
    }
  }

  /**
   * The job follows the booking (moved, or gone). When neither the replaced version nor the booking now has a
   * reminder there is no job to move or remove, so no BullMQ round trip: a job left behind earlier (a removal that
   * failed) is dropped when it fires, as the booking no longer wants it (BookingReminderCheck).
   */
  private bookingReminder(event: BookingEvent): ReminderStep {
    if (event.type === 'booking.deleted' || event.reminderAt === null) {
      return event.hadReminder ? { cancel: bookingReminderId(event.bookingId) } : null;
    }
    return { schedule: bookingReminder({ ...event, reminderAt: event.reminderAt }) };
  }

  /** A confirmed appointment gets a reminder (when they are configured), a cancelled one loses it. */
  private appointmentReminder(event: AppointmentEvent): ReminderStep {
    const id = `appointment-${event.appointmentId}`;
    const minutes = this.config.appointmentReminderMinutes;
    if (event.type === 'appointment.cancelled') return { cancel: id };
    if (event.type !== 'appointment.confirmed' || minutes <= 0) return null;
    const runAt = event.start - minutes * 60_000;
    return {
      schedule: {
        id,
        userId: event.clientId,
        runAt,
        type: 'appointment.reminder',
        ...titleStarting('Your appointment', event.start, runAt),
        data: { appointmentId: event.appointmentId, providerId: event.providerId, start: toIso(event.start) },
      },
    };
  }

  /** The reminder follows the reservation: moved with it, removed when it is cancelled; none when they are off. */
  private restaurantReminder(event: RestaurantReservationEvent): ReminderStep {
    const id = `restaurant-reservation-${event.reservationId}`;
    const minutes = this.config.restaurantReminderMinutes;
    // A guest's reservation never had a job: the guest has no account to remind, and staff need no reminder.
    if (event.guest) return null;
    if (event.type === 'restaurant-reservation.cancelled') return { cancel: id };
    // Reminders off: a booking or move has no job to move (nor to remove: none was scheduled).
    if (minutes === 0) return null;
    return {
      schedule: {
        id,
        userId: event.userId,
        runAt: event.start - minutes * 60_000,
        type: 'restaurant-reservation.reminder',
        title: `Your table at ${event.restaurantName} is booked for ${event.localStart}`,
        data: {
          restaurantId: event.restaurantId,
          restaurantName: event.restaurantName,
          reservationId: event.reservationId,
          start: toIso(event.start),
        },
      },
    };
  }
}
