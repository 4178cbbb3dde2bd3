import type { Response } from 'supertest';
import type { RedisClient } from '../../src/redis/redis-client.js';
import type { Seeded } from './integrity.js';
import type { Account } from './test-app.js';

/** What every module's integrity seed and plants share (test/support/<module>-integrity.ts). */

/** A Monday; appointments open 48 h later, the restaurant is booked for the next evening. */
export const T0 = Date.parse('2030-01-07T09:00:00Z');

export const iso = (ms: number) => new Date(ms).toISOString();

export function ok(res: Response, ...statuses: number[]): Response {
  if (!statuses.includes(res.status)) throw new Error(`seed step failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** The accounts every module's seed uses. */
export interface People {
  readonly alice: Account;
  readonly bob: Account;
  readonly carol: Account;
  readonly dave: Account;
  readonly manager: Account;
  readonly provider: Account;
}

/** Writes one violation straight into Redis (the whole footprint the bug would leave, nothing else). */
export type Plant = (s: Seeded, redis: RedisClient, now: number) => Promise<unknown>;
