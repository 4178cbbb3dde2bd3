import { LuaScript } from '../redis/lua-scripts.js';
import type { BookOutcome, DayCap, MoveOutcome } from './restaurants.repository.js';

/**
 * Restaurants' scripts over the restaurant's slot (lua/*.lua; their headers give KEYS, ARGV and answers), declared
 * once, registered once per client.
 */
const lua = new URL('./lua/', import.meta.url);

/** The cap's ARGV: day start, day end, most reservations (0: no cap). */
export type CapArgs = readonly [dayStart: number, dayEnd: number, max: number];
export const capArgs = (cap: DayCap | null): CapArgs => (cap ? [cap.from, cap.to, cap.max] : [0, 0, 0]);

type Reply = [number, string?];
type ReservationKeys = readonly [
  sittings: string,
  reservation: string,
  reservations: string,
  tables: string,
  liveOf: string,
  outbox: string,
  restaurant: string,
];

const booked = ([, tableId]: Reply): BookOutcome => (tableId ? { tableId } : 'no-table');

export const restaurantsScripts = {
  book: new LuaScript<
    ReservationKeys,
    readonly [
      reservationId: string,
      userId: string,
      start: number,
      end: number,
      partySize: number,
      guestName: string,
      notes: string,
      guestPhone: string,
      now: number,
      sittingMs: number,
      ...cap: CapArgs,
      ...candidates: string[],
    ],
    Reply,
    BookOutcome
  >('restaurants:book-table', lua, 'book-table-7.lua', {
    1: booked,
    2: booked,
    [-1]: () => 'no-table',
    [-2]: () => 'limit',
  }),
  move: new LuaScript<
    ReservationKeys,
    readonly [
      reservationId: string,
      start: number,
      end: number,
      partySize: number,
      now: number,
      sittingMs: number,
      version: number,
      ...cap: CapArgs,
      ...candidates: string[],
    ],
    Reply,
    MoveOutcome
  >('restaurants:move-reservation', lua, 'move-reservation-7.lua', {
    1: ([, tableId]) => (tableId ? { tableId } : 'no-table'),
    2: () => 'unchanged',
    [-1]: () => 'missing',
    [-2]: () => 'cancelled',
    [-3]: () => 'no-table',
    [-4]: () => 'changed',
    [-5]: () => 'limit',
  }),
  /** Whether the reservation exists (cancelled now or before). */
  cancel: new LuaScript<
    readonly [sittings: string, reservation: string, liveOf: string, outbox: string, restaurant: string],
    readonly [reservationId: string, now: number],
    number,
    boolean
  >('restaurants:cancel-reservation', lua, 'cancel-reservation-5.lua', {
    1: () => true,
    2: () => true,
    [-1]: () => false,
  }),
  removeTable: new LuaScript<
    readonly [tables: string, sittings: string],
    readonly [tableId: string, now: number, sittingMs: number],
    number,
    'removed' | 'missing' | 'busy'
  >('restaurants:remove-table', lua, 'remove-table-2.lua', {
    1: () => 'removed',
    0: () => 'missing',
    [-1]: () => 'busy',
  }),
};
