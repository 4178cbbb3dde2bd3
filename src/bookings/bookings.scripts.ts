import { LuaScript } from '../redis/lua-scripts.js';
import type { WriteOutcome } from './bookings.repository.js';

/**
 * Bookings' scripts over the owner's slot (lua/*.lua; their headers give KEYS, ARGV and answers), declared once,
 * registered once per client.
 */
const lua = new URL('./lua/', import.meta.url);

const DONE: WriteOutcome = { outcome: 'done' };
const MISSING: WriteOutcome = { outcome: 'missing' };
const writeOutcomes = {
  1: () => DONE,
  [-1]: () => MISSING,
  [-2]: ([, version]: [number, number?]): WriteOutcome => ({ outcome: 'stale', currentVersion: Number(version) }),
};

/** What every bookings script appends to the user's outbox with: the user, now, the event's data (JSON). */
type OutboxArgs = readonly [userId: string, at: number, data: string];

export const bookingsScripts = {
  /** The id of an identical booking that exists already (this one's own: a re-delivered command), or null: created. */
  create: new LuaScript<
    readonly [booking: string, userBookings: string, userBookingsOfType: string, fingerprints: string, outbox: string],
    readonly [id: string, json: string, member: string, fingerprint: string, ...OutboxArgs],
    [number, string?],
    string | null
  >('bookings:create', lua, 'create-booking-5.lua', {
    1: () => null,
    0: ([, existingId]) => existingId ?? null,
  }),
  update: new LuaScript<
    readonly [
      booking: string,
      userBookings: string,
      ofOldType: string,
      ofNewType: string,
      fingerprints: string,
      outbox: string,
    ],
    readonly [
      expectedVersion: string,
      json: string,
      oldMember: string,
      newMember: string,
      oldFingerprint: string,
      newFingerprint: string,
      id: string,
      ...OutboxArgs,
    ],
    [number, number?],
    WriteOutcome
  >('bookings:update', lua, 'update-booking-6.lua', writeOutcomes),
  delete: new LuaScript<
    readonly [
      booking: string,
      userBookings: string,
      ofType: string,
      fingerprints: string,
      tombstone: string,
      outbox: string,
    ],
    readonly [
      expectedVersion: string,
      member: string,
      fingerprint: string,
      id: string,
      tombstoneMs: number,
      ...OutboxArgs,
    ],
    [number, number?],
    WriteOutcome
  >('bookings:delete', lua, 'delete-booking-6.lua', writeOutcomes),
};
