import type { Appointment, Slot } from './appointment.js';

export type ReserveOutcome =
  | { readonly outcome: 'reserved' | 'already-yours'; readonly appointmentId: string }
  | { readonly outcome: 'no-slot' | 'too-late' | 'taken' | 'pending-limit' };

export type ConfirmOutcome = 'confirmed' | 'already-confirmed' | 'missing' | 'expired' | 'cancelled';

export interface ReserveRequest {
  readonly providerId: string;
  readonly slotId: string;
  readonly clientId: string;
  readonly appointmentId: string;
  readonly now: number;
  readonly expiresAt: number;
  readonly leadMs: number;
  readonly maxPending: number;
}

/**
 * Provider schedules and appointments. Everything of one provider shares the provider's hash slot: opening slots,
 * reserving, confirming, cancelling and removing a slot are each one atomic script, right with any number of
 * service instances.
 */
export abstract class AppointmentsRepository {
  /** Opens slots (new ids for new start times); answers the slot at each start and how many were new. */
  abstract addSlots(providerId: string, slots: readonly Slot[]): Promise<{ slotIds: string[]; created: number }>;

  /** Slots open for reservation at `now`, starting in [from, to), by start. */
  abstract openSlots(providerId: string, from: number, to: number, now: number): Promise<Slot[]>;

  /** The provider a slot belongs to, or null for an unknown slot. */
  abstract slotOwner(slotId: string): Promise<string | null>;

  /** Removes an open slot: 'removed', 'missing', or 'reserved' when a live reservation holds it. */
  abstract removeSlot(providerId: string, slotId: string, now: number): Promise<'removed' | 'missing' | 'reserved'>;

  /** Reserves the slot as a pending appointment; one winner per slot, the same client gets its own back. */
  abstract reserve(request: ReserveRequest): Promise<ReserveOutcome>;

  abstract find(providerId: string, appointmentId: string): Promise<Appointment | null>;

  /** The provider an appointment belongs to, or null. */
  abstract appointmentOwner(appointmentId: string): Promise<string | null>;

  abstract confirm(appointment: Appointment, now: number): Promise<ConfirmOutcome>;

  abstract cancel(appointment: Appointment, now: number): Promise<void>;

  /**
   * Pending appointments whose time ran out before `now`, each handed to exactly one caller across all instances
   * (the claim removes it from the watch list); confirmed or cancelled ones are never handed out.
   */
  abstract claimExpired(now: number, limit: number): Promise<Appointment[]>;

  /** A provider's (or, with clientId, a client's) appointments by start, after an opaque position. */
  abstract list(
    owner: { providerId: string } | { clientId: string },
    after: string | null,
    limit: number,
  ): Promise<{ appointments: Appointment[]; next: string | null }>;
}
