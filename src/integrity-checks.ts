import { appointmentsIntegrity } from './appointments/appointments.integrity.js';
import { bookingsIntegrity } from './bookings/bookings.integrity.js';
import { eventsIntegrity } from './events/events.integrity.js';
import { waitlistIntegrity } from './events/waitlist.integrity.js';
import { ENGINE_INVARIANTS } from './ops/integrity.js';
import type { Finding as AnyFinding, IntegrityContribution } from './ops/integrity.js';
import { restaurantsIntegrity } from './restaurants/restaurants.integrity.js';
import { usersIntegrity } from './users/users.integrity.js';

/**
 * The modules whose data the integrity check verifies, in the order their invariants are listed (report counts, the
 * CLI's help, the gauge). A composition root, like app.module.ts: src/ops knows only the contribution interface.
 * Auth, idempotency and notifications contribute nothing yet (docs/architecture.md says why).
 */
export const INTEGRITY_CHECKS: readonly IntegrityContribution[] = [
  eventsIntegrity,
  waitlistIntegrity,
  restaurantsIntegrity,
  appointmentsIntegrity,
  bookingsIntegrity,
  usersIntegrity,
];

/** Every invariant -> its one-line description; docs/operations.md explains each in full. */
export const INVARIANTS = {
  ...eventsIntegrity.invariants,
  ...waitlistIntegrity.invariants,
  ...restaurantsIntegrity.invariants,
  ...appointmentsIntegrity.invariants,
  ...bookingsIntegrity.invariants,
  ...usersIntegrity.invariants,
  ...ENGINE_INVARIANTS,
};

export type Invariant = keyof typeof INVARIANTS;

export const INVARIANT_NAMES = Object.keys(INVARIANTS) as Invariant[];

export type Finding = AnyFinding<Invariant>;
