import { keyCheck } from '../ops/integrity.js';
import type { IntegrityContribution, IntegrityReader } from '../ops/integrity.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import {
  appointment,
  appointmentOwner,
  clientAppointments,
  pendingAppointments,
  pendingOf,
  providerAppointments,
} from './appointment-indexes.integrity.js';
import { openSlotsIndex } from './open-slots.integrity.js';
import { providerSlotStarts, providerSlotTimes, providerSlots, slotOwner, slotStates } from './slots.integrity.js';

/** What the integrity check verifies of appointments (docs/operations.md explains each). */
export const APPOINTMENTS_INVARIANTS = {
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
  'open-slots-orphan': 'an open-slots entry of a slot still to start that does not exist there or is taken',
  'open-slots-missing':
    'a free slot still to start (never reserved, cancelled or long lapsed) missing from the open-slots index',
} as const;

export type AppointmentsInvariant = keyof typeof APPOINTMENTS_INVARIANTS;
export type AppointmentsReader = IntegrityReader<AppointmentsInvariant>;

/** Appointments: a provider's slots and their state, each appointment and the indexes and lookups that name it. */
export const appointmentsIntegrity: IntegrityContribution<AppointmentsInvariant> = {
  invariants: APPOINTMENTS_INVARIANTS,
  keyChecks: [
    keyCheck(keyMatcher(keys.providerSlotState), slotStates),
    keyCheck(keyMatcher(keys.providerSlots), providerSlots),
    keyCheck(keyMatcher(keys.providerSlotTimes), providerSlotTimes),
    keyCheck(keyMatcher(keys.providerSlotStarts), providerSlotStarts),
    keyCheck(keyMatcher(keys.providerAppointments), providerAppointments),
    keyCheck(keyMatcher(keys.appointment), appointment),
    keyCheck(keyMatcher(keys.clientPendingWith), pendingOf),
    keyCheck(keyMatcher(keys.pendingAppointments), pendingAppointments),
    keyCheck(keyMatcher(keys.clientAppointments), clientAppointments),
    keyCheck(keyMatcher(keys.slotOwner), slotOwner),
    keyCheck(keyMatcher(keys.appointmentOwner), appointmentOwner),
    keyCheck(keyMatcher(keys.openSlots), openSlotsIndex),
  ],
};
