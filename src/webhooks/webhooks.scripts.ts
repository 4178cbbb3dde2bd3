import { LuaScript } from '../redis/lua-scripts.js';

/** Webhooks' scripts over one endpoint's slot (lua/*.lua: their headers give KEYS, ARGV and answers). */
const lua = new URL('./lua/', import.meta.url);

export type AttemptStatus = 'succeeded' | 'retrying' | 'failed';

export const webhooksScripts = {
  /** Whether the endpoint exists (and was changed). */
  update: new LuaScript<readonly [endpoint: string], readonly [now: number, ...pairs: string[]], number, boolean>(
    'webhooks:update',
    lua,
    'update-webhook-1.lua',
    { 1: () => true, [-1]: () => false },
  ),
  /** Until when the previous secret signs (null: no such endpoint). */
  rotate: new LuaScript<
    readonly [endpoint: string],
    readonly [secret: string, now: number, previousUntil: number],
    [number, number?],
    number | null
  >('webhooks:rotate-secret', lua, 'rotate-secret-1.lua', { 1: ([, until]) => Number(until), [-1]: () => null }),
  /** Lists a stored endpoint unless its owner has as many as allowed. */
  add: new LuaScript<
    readonly [all: string, owner: string, version: string],
    readonly [member: string, max: number],
    number,
    boolean
  >('webhooks:add', lua, 'add-webhook-3.lua', { 1: () => true, [-1]: () => false }),
  recordAttempt: new LuaScript<
    readonly [endpoint: string, delivery: string, deliveries: string],
    readonly [
      deliveryId: string,
      type: string,
      event: string,
      now: number,
      status: AttemptStatus,
      httpStatus: number | '',
      error: string,
      disableAfterMs: number,
      keep: number,
      member: string,
      ttlMs: number,
      attempted: 0 | 1,
      token: string,
    ],
    number,
    'recorded' | 'disabled' | 'missing'
  >('webhooks:record-attempt', lua, 'record-attempt-3.lua', {
    1: () => 'recorded',
    2: () => 'disabled',
    [-1]: () => 'missing',
  }),
  redeliver: new LuaScript<
    readonly [endpoint: string, delivery: string],
    readonly [],
    [number, number?, string?],
    | { outcome: 'queued'; redeliveries: number; event: string }
    | { outcome: 'missing' }
    | { outcome: 'disabled' }
    | { outcome: 'retrying' }
  >('webhooks:redeliver', lua, 'redeliver-2.lua', {
    1: ([, redeliveries, event]) => ({ outcome: 'queued', redeliveries: Number(redeliveries), event: event ?? '' }),
    [-1]: () => ({ outcome: 'missing' }),
    [-2]: () => ({ outcome: 'disabled' }),
    [-3]: () => ({ outcome: 'retrying' }),
  }),
};
