export interface Slot {
  readonly id: string;
  readonly providerId: string;
  readonly start: number;
  readonly end: number;
}

export type StoredStatus = 'pending' | 'confirmed' | 'cancelled';
/** What clients see: a pending appointment whose time ran out reads as expired (no job rewrites it). */
export type AppointmentStatus = StoredStatus | 'expired';
export const APPOINTMENT_STATUSES = ['pending', 'confirmed', 'cancelled', 'expired'] as const;

export interface Appointment {
  readonly id: string;
  readonly slotId: string;
  readonly providerId: string;
  readonly clientId: string;
  readonly start: number;
  readonly end: number;
  readonly status: StoredStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly confirmedAt: number | null;
  readonly cancelledAt: number | null;
}

export function statusAt(appointment: Appointment, now: number): AppointmentStatus {
  return appointment.status === 'pending' && appointment.expiresAt <= now ? 'expired' : appointment.status;
}
