import { randomUUID } from 'node:crypto';
import type { Booking } from '../../src/bookings/booking.js';
import type { CreateBookingDto } from '../../src/bookings/bookings.dto.js';
import type { Notification } from '../../src/notifications/inbox.repository.js';
import type { Restaurant, Table } from '../../src/restaurants/restaurant.js';
import type { BookRequest } from '../../src/restaurants/restaurants.repository.js';
import type { User } from '../../src/users/user.js';

/**
 * Small data factories for tests: a valid object with fresh ids, and a patch for what the test is about. Times are
 * fixed instants (not the wall clock), far enough ahead that nothing in them is in the past for the code under test.
 */

/** A fixed "now" for repository and service tests: 2030-03-15T10:00:00Z, a Friday. */
export const NOW = Date.UTC(2030, 2, 15, 10, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const newId = () => randomUUID();

export function user(patch: Partial<User> = {}): User {
  const id = randomUUID();
  return {
    id,
    email: `user-${id}@example.com`,
    name: 'Ada Lovelace',
    role: 'customer',
    passwordHash: 'not-a-real-hash',
    createdAt: NOW,
    ...patch,
  };
}

/** A restaurant open every day 12:00–23:00 UTC, 30-minute slots, 90-minute sittings. */
export function restaurant(patch: Partial<Restaurant> = {}): Restaurant {
  return {
    id: randomUUID(),
    name: 'Chez Test',
    timezone: 'UTC',
    slotMinutes: 30,
    sittingMinutes: 90,
    openingHours: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
      day,
      opens: '12:00',
      closes: '23:00',
    })),
    managerId: randomUUID(),
    createdAt: NOW - DAY,
    ...patch,
  };
}

/** `count` tables of `seats` seats, named T1, T2, ... */
export function tables(count: number, seats = 4): Table[] {
  return Array.from({ length: count }, (_, i) => ({ id: randomUUID(), name: `T${i + 1}`, seats }));
}

/** What booking a table asks the restaurants repository: a sitting at `start` for the restaurant's sitting length. */
export function bookRequest(
  r: Restaurant,
  candidates: readonly Table[],
  patch: Partial<BookRequest['reservation']> & { cap?: BookRequest['cap'] } = {},
): BookRequest {
  const { cap = null, ...reservation } = patch;
  const sittingMs = r.sittingMinutes * MINUTE;
  const start = reservation.start ?? NOW + DAY;
  return {
    reservation: {
      id: randomUUID(),
      restaurantId: r.id,
      userId: randomUUID(),
      partySize: 2,
      guestName: 'Grace',
      notes: null,
      guestPhone: null,
      createdAt: NOW,
      ...reservation,
      start,
      end: reservation.end ?? start + sittingMs,
    },
    sittingMs,
    candidates: candidates.map((t) => t.id),
    cap,
  };
}

/** A stored booking of a user's own calendar. */
export function booking(patch: Partial<Booking> = {}): Booking {
  return {
    id: randomUUID(),
    userId: randomUUID(),
    type: 'show',
    title: 'Opera',
    startTime: 1_900_000_000_000,
    endTime: 1_900_000_360_000,
    location: null,
    notes: null,
    reminderMinutesBefore: null,
    version: 1,
    createdAt: 1_800_000_000_000,
    updatedAt: 1_800_000_000_000,
    ...patch,
  };
}

/** The body of `POST /v1/bookings`: a two-hour show a week after `now` (the app's clock). */
export function bookingBody(now: number, patch: Partial<CreateBookingDto> = {}): CreateBookingDto {
  return {
    type: 'show',
    title: 'Opera',
    startTime: new Date(now + 7 * DAY).toISOString(),
    endTime: new Date(now + 7 * DAY + 2 * HOUR).toISOString(),
    ...patch,
  };
}

export function notification(patch: Partial<Omit<Notification, 'read'>> = {}): Omit<Notification, 'read'> {
  return {
    id: randomUUID(),
    type: 'reminder',
    title: 'Your table at 19:30',
    data: { reservationId: randomUUID() },
    createdAt: NOW,
    ...patch,
  };
}
