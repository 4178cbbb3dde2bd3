import { Injectable } from '@nestjs/common';
import type { EmailCategory } from '../preferences/preferences.js';
import { array, instant, integer, isData, object, text } from './event-data.js';
import { MailFacts } from './mail-facts.js';
import type { SeatPlace } from './mail-facts.js';
import type { MailEvent } from './mail-event.js';
import { appointmentMessage } from './templates/appointments.template.js';
import type { AppointmentChange } from './templates/appointments.template.js';
import { isMoney } from './templates/format.js';
import type { Money, Reader } from './templates/format.js';
import type { Block } from './templates/message.js';
import { reminderMessage } from './templates/reminders.template.js';
import { restaurantMessage } from './templates/restaurants.template.js';
import type { RestaurantChange } from './templates/restaurants.template.js';
import { seatReservation, waitlistOffer } from './templates/seats.template.js';
import type { SeatLine, SeatsFacts } from './templates/seats.template.js';

type Data = MailEvent['data'];

/** The email one event asks for: to whom, in which category, in which zone, and its template filled in. */
export interface MailPlan {
  readonly recipientId: string;
  readonly category: EmailCategory;
  /** The zone of what was booked (a restaurant's); null: the reader's preference, else UTC. */
  readonly timeZone: string | null;
  /** When set, the email is of something starting then and is not sent once that has passed (a reminder). */
  readonly pastAfter: number | null;
  readonly render: (reader: Reader) => { readonly subject: string; readonly blocks: readonly Block[] };
}

/** The event types that cause an email, with their category (docs/operations.md lists them). */
export const MAIL_EVENT_CATEGORIES: Readonly<Record<string, EmailCategory>> = {
  'seat.reserved': 'confirmations',
  'restaurant-reservation.booked': 'confirmations',
  'restaurant-reservation.moved': 'confirmations',
  'restaurant-reservation.cancelled': 'confirmations',
  'appointment.reserved': 'appointmentUpdates',
  'appointment.confirmed': 'appointmentUpdates',
  'appointment.expired': 'appointmentUpdates',
  'appointment.cancelled': 'appointmentUpdates',
  'reminder.due': 'reminders',
  // Appended by free-seats.lua when freed seats are offered to the waiting line.
  'waitlist.offered': 'waitingList',
};

/**
 * A seat of the event data: `seats: [{seatId, label?, categoryId?, categoryName?, price?}]`, else `seatIds`; a seat
 * without a label (the scripts write none) or a category name is named from the event's plan (`places`).
 */
function seatLines(data: Data, places: ReadonlyMap<string, SeatPlace>): SeatLine[] {
  const seats = array(data, 'seats').filter(isData);
  if (seats.length > 0) {
    return seats.map((seat) => {
      const seatId = text(seat, 'seatId');
      const place = seatId === null ? undefined : places.get(seatId);
      return {
        label: text(seat, 'label') ?? place?.label ?? `Seat ${seatId ?? '?'}`,
        category:
          text(seat, 'categoryName') ?? text(seat, 'category') ?? place?.categoryName ?? text(seat, 'categoryId'),
        price: isMoney(seat.price) ? seat.price : null,
      };
    });
  }
  return seatIdsOf(data).map((id) => ({
    label: places.get(id)?.label ?? `Seat ${id}`,
    category: places.get(id)?.categoryName ?? null,
    price: null,
  }));
}

/** The seat ids the data names: each of `seats`' seatId, else `seatIds`. */
function seatIdsOf(data: Data): string[] {
  const fromSeats = array(data, 'seats')
    .filter(isData)
    .map((seat) => text(seat, 'seatId'));
  const ids = fromSeats.length > 0 ? fromSeats : array(data, 'seatIds');
  return ids.filter((id): id is string => typeof id === 'string');
}

/** `totals: [{amount, currency}]` when given; else summed per currency from the seats' prices. */
function totals(data: Data, seats: readonly SeatLine[]): Money[] {
  const given = array(data, 'totals').filter(isMoney);
  if (given.length > 0) return given;
  const sums = new Map<string, number>();
  for (const seat of seats)
    if (seat.price) sums.set(seat.price.currency, (sums.get(seat.price.currency) ?? 0) + seat.price.amount);
  return [...sums].map(([currency, amount]) => ({ amount, currency }));
}

/**
 * Turns an outbox event into the email it asks for, or null when it asks for none (another type, a guest's table,
 * data without a recipient). Reads the facts the data lacks through MailFacts.
 */
@Injectable()
export class MailComposer {
  constructor(private readonly facts: MailFacts) {}

  async plan(event: MailEvent): Promise<MailPlan | null> {
    // Own members only: a type such as `constructor` must not find Object.prototype's.
    if (!Object.hasOwn(MAIL_EVENT_CATEGORIES, event.type)) return null;
    const category = MAIL_EVENT_CATEGORIES[event.type]!;
    // The outbox names the user an event concerns; the data's own members (userId, clientId) are the fallback.
    const data = event.userId ? { ...event.data, recipientId: event.userId } : event.data;
    const change = event.type.slice(event.type.indexOf('.') + 1);
    switch (event.type) {
      case 'seat.reserved':
      case 'waitlist.offered':
        return this.seats(event.type, category, data);
      case 'reminder.due':
        return this.reminder(category, data);
      default:
        return event.type.startsWith('appointment.')
          ? this.appointment(change as AppointmentChange, category, data)
          : this.restaurant(change as RestaurantChange, category, data);
    }
  }

  private async seats(type: string, category: EmailCategory, data: Data): Promise<MailPlan | null> {
    const recipientId = text(data, 'recipientId') ?? text(data, 'userId');
    const eventId = text(data, 'eventId');
    if (recipientId === null || eventId === null) return null;
    const stored = text(data, 'eventName') === null ? await this.facts.event(eventId) : null;
    const seats = seatLines(data, await this.facts.seats(eventId, seatIdsOf(data)));
    const facts: SeatsFacts = {
      eventName: text(data, 'eventName') ?? stored?.name ?? 'your event',
      startsAt: instant(data, 'startsAt') ?? stored?.startsAt ?? null,
      seats,
      totals: totals(data, seats),
    };
    const expiresAt = instant(data, 'expiresAt');
    return {
      recipientId,
      category,
      timeZone: null,
      // An offer read after it lapsed offers nothing.
      pastAfter: type === 'seat.reserved' ? null : expiresAt,
      render: (reader) =>
        type === 'seat.reserved' ? seatReservation(reader, facts) : waitlistOffer(reader, { ...facts, expiresAt }),
    };
  }

  private async appointment(change: AppointmentChange, category: EmailCategory, data: Data): Promise<MailPlan | null> {
    const view = object(data, 'view') ?? object(data, 'appointment') ?? {};
    const recipientId = text(data, 'recipientId') ?? text(data, 'clientId') ?? text(view, 'clientId');
    const providerId = text(data, 'providerId') ?? text(view, 'providerId');
    const start = instant(data, 'start') ?? instant(view, 'start');
    if (recipientId === null || start === null) return null;
    const providerName = (providerId && (await this.facts.userName(providerId))) ?? 'your provider';
    const end = instant(data, 'end') ?? instant(view, 'end');
    const expiresAt = change === 'reserved' ? (instant(data, 'expiresAt') ?? instant(view, 'expiresAt')) : null;
    return {
      recipientId,
      category,
      timeZone: null,
      pastAfter: null,
      render: (reader) => appointmentMessage(reader, { change, providerName, start, end, expiresAt }),
    };
  }

  private async restaurant(change: RestaurantChange, category: EmailCategory, data: Data): Promise<MailPlan | null> {
    // A guest booked by staff has no account to write to; the staff member booking needs no confirmation.
    if (data.guest === true) return null;
    const view = object(data, 'view') ?? object(data, 'reservation') ?? {};
    const recipientId = text(data, 'recipientId') ?? text(data, 'userId') ?? text(view, 'userId');
    const restaurantId = text(data, 'restaurantId') ?? text(view, 'restaurantId');
    const start = instant(data, 'start') ?? instant(view, 'start');
    if (recipientId === null || restaurantId === null || start === null) return null;
    const givenName = text(data, 'restaurantName');
    const givenZone = text(data, 'timeZone') ?? text(data, 'timezone');
    const restaurant = givenName === null || givenZone === null ? await this.facts.restaurant(restaurantId) : null;
    const restaurantName = givenName ?? restaurant?.name ?? 'the restaurant';
    const partySize = integer(data, 'partySize') ?? integer(view, 'partySize');
    return {
      recipientId,
      category,
      timeZone: givenZone ?? restaurant?.timeZone ?? null,
      pastAfter: null,
      render: (reader) => restaurantMessage(reader, { change, restaurantName, start, partySize }),
    };
  }

  /**
   * A `reminder.due` as notifications' reminder worker appends it: the reminder job's data (bookingId and startTime;
   * appointmentId, providerId and start; restaurantId, restaurantName and start) with `userId`, `reminderType`, and
   * for booking and appointment reminders `subject` and `startsAt` (absolute, as `title` is not: it is worded for the
   * moment the reminder fired, "starts in 60 minutes", and an email may be retried for hours).
   */
  private async reminder(category: EmailCategory, data: Data): Promise<MailPlan | null> {
    const recipientId = text(data, 'recipientId') ?? text(data, 'userId');
    if (recipientId === null) return null;
    switch (text(data, 'reminderType')) {
      case 'booking.reminder': {
        const start = instant(data, 'startsAt') ?? instant(data, 'startTime');
        if (start === null) return null;
        const facts = {
          kind: 'booking',
          subject: text(data, 'subject') ?? 'Your booking',
          start,
          place: null,
        } as const;
        return this.reminderPlan(recipientId, category, null, facts);
      }
      case 'appointment.reminder': {
        const start = instant(data, 'startsAt') ?? instant(data, 'start');
        if (start === null) return null;
        const providerId = text(data, 'providerId');
        const place = providerId && (await this.facts.userName(providerId));
        const subject = text(data, 'subject') ?? 'Your appointment';
        return this.reminderPlan(recipientId, category, null, { kind: 'appointment', subject, start, place });
      }
      case 'restaurant-reservation.reminder': {
        const start = instant(data, 'start');
        const restaurantId = text(data, 'restaurantId');
        if (start === null || restaurantId === null) return null;
        // The zone is not in the data: the restaurant is read for it (its name too, for reminders of older jobs).
        const restaurant = await this.facts.restaurant(restaurantId);
        const place = text(data, 'restaurantName') ?? restaurant?.name ?? null;
        const subject = place === null ? 'Your table' : `Your table at ${place}`;
        const timeZone = restaurant?.timeZone ?? null;
        return this.reminderPlan(recipientId, category, timeZone, { kind: 'restaurant', subject, start, place });
      }
      default:
        return null;
    }
  }

  private reminderPlan(
    recipientId: string,
    category: EmailCategory,
    timeZone: string | null,
    facts: Parameters<typeof reminderMessage>[1],
  ): MailPlan {
    return {
      recipientId,
      category,
      timeZone,
      pastAfter: facts.start,
      render: (reader) => reminderMessage(reader, facts),
    };
  }
}
