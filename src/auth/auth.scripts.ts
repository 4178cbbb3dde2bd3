import { LuaScript } from '../redis/lua-scripts.js';
import type { RotateOutcome } from './refresh-tokens.repository.js';

/**
 * Auth's scripts (lua/*.lua; their headers give KEYS, ARGV and answers): refresh-token families and the rate-limit
 * counters. Declared once here, registered once per client however many repositories use them.
 */
const lua = new URL('./lua/', import.meta.url);

const INVALID: RotateOutcome = { outcome: 'invalid' };
const REUSED: RotateOutcome = { outcome: 'reused' };

export const authScripts = {
  /**
   * The presented token swaps for the next one (the current token, or the previous one within the reuse grace); any
   * other token of a live family revokes it.
   */
  rotateRefresh: new LuaScript<
    readonly [family: string],
    readonly [presentedHash: string, nextHash: string, ttlSeconds: number, nowMs: number, reuseGraceMs: number],
    [number, string?],
    RotateOutcome
  >('auth:rotate-refresh', lua, 'rotate-refresh-1.lua', {
    1: ([, userId]) => (userId ? { outcome: 'rotated', userId } : INVALID),
    [-1]: () => INVALID,
    [-2]: () => INVALID,
    [-3]: () => REUSED,
  }),
  /** Answers 1 revoked, 0 nothing to do (either way the caller is done). */
  revokeRefresh: new LuaScript<readonly [family: string], readonly [presentedHash: string], number>(
    'auth:revoke-refresh',
    lua,
    'revoke-refresh-1.lua',
  ),
  /** Answers [attempts in this window, ms until it ends]. */
  hit: new LuaScript<readonly [counter: string], readonly [windowMs: number], [number, number]>(
    'auth:rate-hit',
    lua,
    'hit-1.lua',
  ),
  /** Answers the count of all instances together. */
  report: new LuaScript<
    readonly [counter: string],
    readonly [instanceId: string, count: number, ttlMs: number],
    number
  >('auth:rate-report', lua, 'report-1.lua'),
};
