import { lexMember, parseLexMember } from '../redis/keys.js';

/**
 * The stored formats of appointments that are not plain records, in one place for TypeScript. The scripts read and
 * write the slot state, the slot times and the provider's index member too, defined once for them in
 * lua/include/slot-formats.lua:
 * - slot state, a field of `{provider:<id>}:slot-state`: `P|<clientId>|<expiresAt>|<appointmentId>` (pending) or
 *   `C|<clientId>|<appointmentId>` (confirmed); absent means open;
 * - slot times, a field of `{provider:<id>}:slot-times`: `<start>|<end>` (ms);
 * - `<providerId>/<appointmentId>`: an appointment named outside its provider's slot (the pending registry, and the
 *   ref of a client's index member `<start, 15 digits>:<providerId>/<appointmentId>`); the provider's own index holds
 *   `<start, 15 digits>:<appointmentId>`.
 */
export type SlotState =
  | { readonly kind: 'pending'; readonly clientId: string; readonly expiresAt: number; readonly appointmentId: string }
  | { readonly kind: 'confirmed'; readonly clientId: string; readonly appointmentId: string };

/** The state a stored value says, or undefined for a value that cannot be read. */
export function parseSlotState(value: string): SlotState | undefined {
  const pending = /^P\|([^|]+)\|(\d+)\|(.+)$/.exec(value);
  if (pending) {
    return { kind: 'pending', clientId: pending[1], expiresAt: Number(pending[2]), appointmentId: pending[3] };
  }
  const confirmed = /^C\|([^|]+)\|(.+)$/.exec(value);
  if (confirmed) return { kind: 'confirmed', clientId: confirmed[1], appointmentId: confirmed[2] };
  return undefined;
}

export function encodeSlotState(state: SlotState): string {
  return state.kind === 'pending'
    ? `P|${state.clientId}|${state.expiresAt}|${state.appointmentId}`
    : `C|${state.clientId}|${state.appointmentId}`;
}

export function parseSlotTimes(value: string): { start: number; end: number } {
  const [start, end] = value.split('|').map(Number);
  return { start, end };
}

export interface AppointmentRef {
  readonly providerId: string;
  readonly appointmentId: string;
}

export const encodeAppointmentRef = (ref: AppointmentRef) => `${ref.providerId}/${ref.appointmentId}`;

/** The appointment a ref names; `appointmentId` is '' when the ref has no `/`. */
export function parseAppointmentRef(ref: string): AppointmentRef {
  const [providerId, appointmentId] = ref.split('/');
  return { providerId, appointmentId: appointmentId ?? '' };
}

/** Member of the provider's appointments index. */
export const providerAppointmentMember = (start: number, appointmentId: string) => lexMember(start, appointmentId);

export function parseProviderAppointmentMember(member: string): { start: number; appointmentId: string } {
  const { time, ref } = parseLexMember(member);
  return { start: time, appointmentId: ref };
}

/** Member of the client's appointments index. */
export const clientAppointmentMember = (start: number, ref: AppointmentRef) =>
  lexMember(start, encodeAppointmentRef(ref));

export function parseClientAppointmentMember(member: string): AppointmentRef & { start: number } {
  const { time, ref } = parseLexMember(member);
  return { start: time, ...parseAppointmentRef(ref) };
}

/**
 * Member of the index of every provider's open slots, `{slots}:open`: `<start, 15 digits>:<providerId>/<slotId>`, so
 * a BYLEX range is a time range, ordered by start, then provider and slot.
 */
export const openSlotMember = (start: number, providerId: string, slotId: string) =>
  lexMember(start, `${providerId}/${slotId}`);

export function parseOpenSlotMember(member: string): { start: number; providerId: string; slotId: string } {
  const { time, ref } = parseLexMember(member);
  const [providerId, slotId] = ref.split('/');
  return { start: time, providerId, slotId: slotId ?? '' };
}
