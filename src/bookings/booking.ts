import { createHash } from 'node:crypto';

export const BOOKING_TYPES = ['apartment', 'vehicle', 'show', 'other'] as const;
export type BookingType = (typeof BOOKING_TYPES)[number];

export interface Booking {
  readonly id: string;
  readonly userId: string;
  readonly type: BookingType;
  readonly title: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly location: string | null;
  readonly notes: string | null;
  readonly reminderMinutesBefore: number | null;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What makes two bookings "the same booking" for duplicate detection on create. */
export function fingerprintOf(booking: Pick<Booking, 'type' | 'title' | 'startTime' | 'endTime'>): string {
  return createHash('sha256')
    .update(JSON.stringify([booking.type, booking.title, booking.startTime, booking.endTime]))
    .digest('base64url');
}

/** The fields a client can change; an update that changes none of them keeps the version. */
export const EDITABLE = [
  'type',
  'title',
  'startTime',
  'endTime',
  'location',
  'notes',
  'reminderMinutesBefore',
] as const;

/** When the booking's reminder is due (epoch ms), or null when it has none. */
export function reminderRunAt(booking: Pick<Booking, 'startTime' | 'reminderMinutesBefore'>): number | null {
  return booking.reminderMinutesBefore === null ? null : booking.startTime - booking.reminderMinutesBefore * 60_000;
}
