import { LuaScript } from '../redis/lua-scripts.js';
import type { ConfirmOutcome, ReserveOutcome } from './appointments.repository.js';

/**
 * Appointments' scripts over the provider's slot (lua/*.lua; their headers give KEYS, ARGV and answers), declared
 * once, registered once per client.
 */
const lua = new URL('./lua/', import.meta.url);

type Reply = [number, string?];
/** A reservation's outcome and, when the client holds the slot now, its appointment id. */
export type ReserveResult = { readonly outcome: ReserveOutcome['outcome']; readonly appointmentId?: string };

const NO_SLOT: ReserveResult = { outcome: 'no-slot' };
const TOO_LATE: ReserveResult = { outcome: 'too-late' };
const TAKEN: ReserveResult = { outcome: 'taken' };
const PENDING_LIMIT: ReserveResult = { outcome: 'pending-limit' };

export const appointmentsScripts = {
  /** Answers, per (id, start, end) triple, the id of the slot at that start, then how many were created. */
  addSlots: new LuaScript<
    readonly [slots: string, slotTimes: string, slotStarts: string],
    readonly (string | number)[],
    (string | number)[]
  >('appointments:add-slots', lua, 'add-slots-3.lua'),
  /** Answers slotId, "start|end", ... of the open slots starting in [from, to). */
  openSlots: new LuaScript<
    readonly [slots: string, slotTimes: string, slotState: string],
    readonly [from: number, to: number, now: number],
    string[]
  >('appointments:open-slots', lua, 'open-slots-3.lua'),
  /** Answers, for each slot id, its "start|end" when it is open now, else null. */
  checkOpenSlots: new LuaScript<
    readonly [slotTimes: string, slotState: string],
    readonly [now: number, ...slotIds: string[]],
    (string | null)[]
  >('appointments:check-open-slots', lua, 'check-open-slots-2.lua'),
  /** Answers slotId, "start|end", ... of at most `limit` open slots starting in [from, to). */
  openSlotsPage: new LuaScript<
    readonly [slots: string, slotTimes: string, slotState: string],
    readonly [from: number, to: number, now: number, limit: number],
    string[]
  >('appointments:open-slots-page', lua, 'open-slots-page-3.lua'),
  /** The first element says what happened; a removed slot's answer carries its "start|end" second. */
  removeSlot: new LuaScript<
    readonly [slots: string, slotTimes: string, slotStarts: string, slotState: string],
    readonly [slotId: string, now: number],
    Reply,
    'removed' | 'missing' | 'reserved'
  >('appointments:remove-slot', lua, 'remove-slot-4.lua', {
    1: () => 'removed',
    0: () => 'missing',
    [-1]: () => 'reserved',
  }),
  reserve: new LuaScript<
    readonly [
      slotTimes: string,
      slotState: string,
      appointment: string,
      appointments: string,
      pendingOf: string,
      outbox: string,
    ],
    readonly [
      slotId: string,
      clientId: string,
      appointmentId: string,
      now: number,
      expiresAt: number,
      leadMs: number,
      maxPending: number,
      providerId: string,
    ],
    Reply,
    ReserveResult
  >('appointments:reserve-slot', lua, 'reserve-slot-6.lua', {
    1: ([, appointmentId]) => ({ outcome: 'reserved', appointmentId }),
    2: ([, appointmentId]) => ({ outcome: 'already-yours', appointmentId }),
    [-1]: () => NO_SLOT,
    [-2]: () => TOO_LATE,
    [-3]: () => TAKEN,
    [-4]: () => PENDING_LIMIT,
  }),
  confirm: new LuaScript<
    readonly [appointment: string, slotState: string, pendingOf: string, outbox: string],
    readonly [now: number, clientId: string],
    [number],
    ConfirmOutcome
  >('appointments:confirm', lua, 'confirm-appointment-4.lua', {
    1: () => 'confirmed',
    2: () => 'already-confirmed',
    [-1]: () => 'missing',
    [-2]: () => 'expired',
    [-3]: () => 'cancelled',
  }),
  /** Answers {1} cancelled now, {2} cancelled already, {-1} no such appointment: the caller is done either way. */
  cancel: new LuaScript<
    readonly [appointment: string, slotState: string, pendingOf: string, outbox: string],
    readonly [now: number],
    [number]
  >('appointments:cancel', lua, 'cancel-appointment-4.lua'),
  /** Answers 1 when it recorded a lapse now (appended `appointment.expired`), 0 otherwise. */
  recordExpiry: new LuaScript<readonly [appointment: string, outbox: string], readonly [now: number], number>(
    'appointments:record-expiry',
    lua,
    'record-expiry-2.lua',
  ),
};
