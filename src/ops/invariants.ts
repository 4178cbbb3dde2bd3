/**
 * What the integrity check verifies: one name per invariant (the `invariant` of a finding and the label of the
 * `booking_integrity_violations` gauge) with a one-line description. docs/operations.md explains each in full.
 * "orphan": an index entry pointing at nothing, or at a record that says otherwise; "missing": a record its index
 * (or lookup) does not list.
 */
export const INVARIANTS = {
  // Events and seats
  'seat-state-invalid': 'a seat-state entry of an unknown event or seat, or a value that cannot be read',
  'seat-double-hold': "a seat in one user's live holds while the seat state says another user holds it",
  'seat-reserved-and-held': "a reserved seat still in a user's live holds",
  'seat-hold-mismatch': "a live hold that the seat state and the holder's hold set disagree on",
  'hold-expiry-orphan': 'a hold-expiry entry whose seat is not held with that expiry',
  'hold-expiry-missing': 'a live hold without its hold-expiry entry (the sweeper would never announce it)',
  'expiring-events-orphan': 'an expiring-events entry for an event that does not exist',
  'expiring-events-missing': 'an event with pending hold expiries that the sweeper is not told to visit in time',
  'user-hold-events-orphan': "a user's hold-events entry for an event that does not exist",
  'user-hold-events-missing': "live holds of a user in an event that the user's hold-events index does not list",
  'user-seat-reservation-orphan': "a user's seat-reservation entry for a seat not reserved by that user at that time",
  'user-seat-reservation-missing': "a reserved seat missing from its owner's seat-reservations index",
  // Restaurants
  'restaurant-table-overlap': 'two live reservations on one table whose times overlap',
  'restaurant-sitting-orphan': 'a sittings entry without a live reservation of that table and start',
  'restaurant-sitting-missing': 'a live reservation without its sittings entry',
  'restaurant-reservations-orphan': 'a reservations-index entry for a missing reservation or with another start',
  'restaurant-reservations-missing': 'a reservation missing from the restaurant’s reservations index',
  // Appointments
  'appointment-slot-conflict': 'a confirmed or live pending appointment whose slot is held by another appointment',
  'appointment-slot-state-mismatch': 'a confirmed or live pending appointment whose slot state does not say so',
  'slot-state-orphan': 'a slot state naming a missing, cancelled or different appointment, or an unknown slot',
  'provider-slot-index-mismatch': "a provider's slots, slot-times and slot-starts disagreeing",
  'provider-appointments-orphan': "a provider's appointments-index entry for a missing appointment",
  'provider-appointments-missing': "an appointment missing from its provider's appointments index",
  'pending-of-orphan': "a client's pending-with-provider entry for an appointment that is not pending with it",
  'client-appointments-orphan': "a client's appointments-index entry for a missing appointment or someone else's",
  'client-appointments-missing': "an appointment missing from its client's appointments index",
  'slot-owner-orphan': 'a slot-owner lookup naming a provider without that slot',
  'slot-owner-missing': 'a slot without its slot-owner lookup (it cannot be reserved)',
  'appointment-owner-orphan': 'an appointment-owner lookup naming a provider without that appointment',
  'appointment-owner-missing': 'an appointment without its appointment-owner lookup',
  'pending-appointments-orphan': 'a pending-appointments entry for a missing appointment',
  'pending-appointments-mismatch': 'a pending-appointments entry not due when its appointment lapses',
  'pending-appointments-missing': 'a live pending appointment the expiry announcer does not know of',
  // Holiday bookings
  'booking-invalid': 'a booking that cannot be read or whose id or owner disagrees with its key',
  'booking-index-orphan': "a user's booking-index entry for a missing (or deleted) booking or with another start/type",
  'booking-index-missing': "a booking missing from its user's booking indexes",
  'booking-fingerprint-orphan': 'a duplicate-detection fingerprint naming a missing booking or one with other content',
  'booking-owner-orphan': 'a booking-owner lookup (admin access) naming a user without that booking',
  'booking-owner-missing': 'a booking without a booking-owner lookup naming its user',
  'admin-bookings-orphan': "an entry of the admins' booking index for a missing (or deleted) booking",
  'admin-bookings-missing': "a booking missing from the admins' booking index",
  // Any domain
  'key-wrong-type': 'a key of the layout holding another Redis type than the layout says',
} as const;

export type Invariant = keyof typeof INVARIANTS;

export const INVARIANT_NAMES = Object.keys(INVARIANTS) as Invariant[];

/** One broken invariant. `keys` are full Redis key names (with the key prefix), as redis-cli would show them. */
export interface Finding {
  readonly invariant: Invariant;
  readonly keys: readonly string[];
  readonly detail: string;
}
