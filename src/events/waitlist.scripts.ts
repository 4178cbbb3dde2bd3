import { LuaScript } from '../redis/lua-scripts.js';
import type { ScriptCall } from '../redis/lua-scripts.js';
import { keys } from '../redis/keys.js';
import type { JoinOutcome, JoinRequest } from './waitlist.repository.js';

/** The waiting line's own scripts (offers are made by the seat scripts: seat-script-args.ts). */
const lua = new URL('./lua/', import.meta.url);

type JoinKeys = readonly [
  waitlist: string,
  entries: string,
  users: string,
  linePrefix: string,
  categories: string,
  freeSetPrefix: string,
  userHoldsInEvent: string,
];
type JoinArgs = readonly [
  entryId: string,
  userId: string,
  quantity: number,
  categoryId: string,
  now: number,
  startsAt: number | '',
  maxHolds: number,
];
type JoinReply = [status: number, value?: number];
type LeaveKeys = readonly [waitlist: string, entries: string, users: string, linePrefix: string];

export const waitlistScripts = {
  join: new LuaScript<JoinKeys, JoinArgs, JoinReply, JoinOutcome>('events:join-waitlist', lua, 'join-waitlist-7.lua', {
    1: ([, position]) => ({ outcome: 'joined', position: Number(position) }),
    [-1]: ([, free]) => ({ outcome: 'seats-free', free: Number(free) }),
    [-2]: ([, position]) => ({ outcome: 'already', position: Number(position) }),
    [-3]: () => ({ outcome: 'unknown-category' }),
    [-4]: () => ({ outcome: 'started' }),
    [-5]: ([, live]) => ({ outcome: 'limit', liveHolds: Number(live) }),
  }),
  /** Whether the user was in the line. */
  leave: new LuaScript<LeaveKeys, readonly [userId: string], number, boolean>(
    'events:leave-waitlist',
    lua,
    'leave-waitlist-4.lua',
    { 1: () => true, 0: () => false },
  ),
};

export function joinWaitlistArgs(
  eventId: string,
  request: JoinRequest,
  now: number,
  startsAt: number | null,
): ScriptCall<JoinKeys, JoinArgs> {
  return [
    keys.waitlist(eventId),
    keys.waitlistEntries(eventId),
    keys.waitlistUsers(eventId),
    keys.waitlistLine(eventId, ''),
    keys.eventCategories(eventId),
    keys.freeSeats(eventId, ''),
    keys.userHoldsInEvent(eventId, request.userId),
    request.entryId,
    request.userId,
    request.quantity,
    request.categoryId ?? '',
    now,
    startsAt ?? '',
    request.maxHolds,
  ];
}

export function leaveWaitlistArgs(eventId: string, userId: string): ScriptCall<LeaveKeys, readonly [string]> {
  return [
    keys.waitlist(eventId),
    keys.waitlistEntries(eventId),
    keys.waitlistUsers(eventId),
    keys.waitlistLine(eventId, ''),
    userId,
  ];
}
