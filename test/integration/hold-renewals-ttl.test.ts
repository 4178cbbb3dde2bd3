import { randomUUID } from 'node:crypto';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { holdSeatsArgs, seatScripts } from '../../src/events/seat-script-args.js';
import { testConfig } from '../support/test-app.js';

/** The hold script only ever extends the TTLs of the event's renewal counts and of the user's hold index. */
describe('hold script: expiries of its per-event keys', () => {
  let redis: RedisClient;
  const config = testConfig();
  const t0 = 1_800_000_000_000;
  const holdMs = 60_000;

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
  });
  afterAll(() => redis.quit());

  /** One hold command exactly as the repository sends it, at `now`, with a request token of our choosing. */
  const send = (eventId: string, userId: string, seatId: string, now: number, token: string) =>
    seatScripts.hold.run(
      redis,
      holdSeatsArgs(
        '',
        eventId,
        userId,
        [seatId],
        { now, offerUntil: now, expiresAt: now + holdMs, maxHolds: 10, maxRenewals: 4, startsAt: null },
        token,
      ),
    );

  it('a late re-sent hold with an earlier expiry does not shorten them', async () => {
    const [eventId, userId, early, late] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    expect(await send(eventId, userId, late, t0 + 30_000, 'request-2')).toEqual([1]);
    // The earlier hold's command, re-sent after a reconnect (or from an instance whose clock is behind), lands last.
    expect(await send(eventId, userId, early, t0, 'request-1')).toEqual([1]);
    expect(await redis.pexpiretime(keys.holdRenewals(eventId))).toBe(t0 + 30_000 + 2 * holdMs);
    expect(await redis.pexpiretime(keys.userHoldsInEvent(eventId, userId))).toBe(t0 + 30_000 + holdMs + 60_000);
    // The later hold's count is still there: its re-sent command is recognised, not counted as a renewal.
    expect(await redis.hget(keys.holdRenewals(eventId), late)).toBe(`${userId}|0|${t0 + 90_000}|request-2`);
  });

  it('a later hold extends them, and a fresh key gets one', async () => {
    const [eventId, userId, seatId] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await send(eventId, userId, seatId, t0, 'request-1')).toEqual([1]);
    expect(await redis.pexpiretime(keys.holdRenewals(eventId))).toBe(t0 + 2 * holdMs);
    expect(await send(eventId, userId, seatId, t0 + 10_000, 'request-2')).toEqual([1]);
    expect(await redis.pexpiretime(keys.holdRenewals(eventId))).toBe(t0 + 10_000 + 2 * holdMs);
    expect(await redis.pexpiretime(keys.userHoldsInEvent(eventId, userId))).toBe(t0 + 10_000 + holdMs + 60_000);
  });
});
