import { lexMember, parseLexMember } from '../redis/keys.js';
import type { Booking } from './booking.js';

/**
 * The stored formats of holiday bookings, in one place for TypeScript: the booking is JSON under
 * `{user:<id>}:booking:<id>`; its owner's indexes hold `<startTime, 15 digits>:<bookingId>`, the admins' index
 * `<startTime, 15 digits>:<userId>:<bookingId>`. The scripts get every member prebuilt in ARGV.
 */
export const encodeBooking = (booking: Booking) => JSON.stringify(booking);

export const decodeBooking = (json: string) => JSON.parse(json) as Booking;

/** A stored booking as a tool reads it: null when absent, undefined when it is not a JSON object. */
export function readStoredBooking(json: string | null): Booking | null | undefined {
  if (json === null) return null;
  try {
    const value = decodeBooking(json);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Member of the owner's booking indexes (all, and per type). */
export const bookingMember = (b: Pick<Booking, 'startTime' | 'id'>) => lexMember(b.startTime, b.id);

export function parseBookingMember(member: string): { startTime: number; bookingId: string } {
  const { time, ref } = parseLexMember(member);
  return { startTime: time, bookingId: ref };
}

/** Member of the admins' index of everyone's bookings. */
export const adminBookingMember = (b: Pick<Booking, 'startTime' | 'userId' | 'id'>) =>
  lexMember(b.startTime, `${b.userId}:${b.id}`);

/** The booking an admin-index member names; `bookingId` is '' when the member has no second colon. */
export function parseAdminBookingMember(member: string): { startTime: number; userId: string; bookingId: string } {
  const { time, ref } = parseLexMember(member);
  const [userId, bookingId] = ref.split(':');
  return { startTime: time, userId, bookingId: bookingId ?? '' };
}
