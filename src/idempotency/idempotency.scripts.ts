import { LuaScript } from '../redis/lua-scripts.js';
import type { ClaimOutcome } from './idempotency.repository.js';

/**
 * The Idempotency-Key record's scripts (lua/*.lua; their headers give KEYS, ARGV and answers), declared once,
 * registered once per client.
 */
const lua = new URL('./lua/', import.meta.url);

type Record = readonly [record: string];

const CLAIMED: ClaimOutcome = { outcome: 'claimed' };
const REUSED: ClaimOutcome = { outcome: 'reused' };
const IN_FLIGHT: ClaimOutcome = { outcome: 'in-flight' };

export const idempotencyScripts = {
  begin: new LuaScript<
    Record,
    readonly [fingerprint: string, owner: string, lockMs: number],
    [number, ...(string | number)[]],
    ClaimOutcome
  >('idempotency:begin', lua, 'begin-1.lua', {
    0: () => CLAIMED,
    1: ([, code, headers, body]) => ({
      outcome: 'replay',
      response: {
        status: Number(code),
        headers: JSON.parse(String(headers)) as { [name: string]: string },
        body: String(body),
      },
    }),
    [-1]: () => REUSED,
    [-2]: () => IN_FLIGHT,
  }),
  /** Answers 1 stored, 0 not the owner any more. */
  complete: new LuaScript<
    Record,
    readonly [owner: string, status: number, headers: string, body: string, ttlMs: number],
    number
  >('idempotency:complete', lua, 'complete-1.lua'),
  /** Answers 1 released, 0 not ours or already done. */
  release: new LuaScript<Record, readonly [owner: string], number>('idempotency:release', lua, 'release-1.lua'),
};
