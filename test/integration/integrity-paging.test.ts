import { randomUUID } from 'node:crypto';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys, sortableTime } from '../../src/redis/keys.js';
import { scanKeys } from '../../src/redis/scan-keys.js';
import { testConfig } from '../support/test-app.js';

/** Keys larger than one read (500 entries): every entry is checked once, and state carries across pages. */
describe('IntegrityChecker on keys larger than a page', () => {
  let redis: RedisClient;
  const config = testConfig();
  const now = Date.parse('2030-01-07T09:00:00Z');
  const check = () => new IntegrityChecker(redis, INTEGRITY_CHECKS, { now: () => now, settleMs: 0 }).run();

  beforeAll(() => {
    redis = createRedisClient({ ...redisOptionsFrom(config), commandTimeoutMs: 5000 });
  });
  afterAll(() => redis.quit());
  afterEach(async () => {
    // One DEL per key: on Redis Cluster the keys live in different slots.
    const found: string[] = [];
    for await (const batch of scanKeys(redis, '*')) found.push(...batch);
    await Promise.all(found.map((key) => redis.del(key)));
  });

  it('checks every entry of a sorted set and a hash of more than 1000 entries', async () => {
    const userId = randomUUID();
    const ids = Array.from({ length: 1234 }, () => randomUUID());
    await redis.zadd(keys.userBookings(userId), ...ids.flatMap((id, i) => [0, `${sortableTime(now + i)}:${id}`]));
    await redis.hset(
      keys.userBookingFingerprints(userId),
      Object.fromEntries(ids.slice(0, 1100).map((id) => [`fp-${id}`, id])),
    );
    const { counts, findings } = await check();
    expect(counts['booking-index-orphan']).toBe(1234);
    expect(counts['booking-fingerprint-orphan']).toBe(1100);
    expect(new Set(findings.map((f) => f.detail)).size).toBe(findings.length);
  });

  it('finds an overlap between the last reservation of one page and the first of the next', async () => {
    const restaurantId = randomUUID();
    const tableId = randomUUID();
    const sitting = 90 * 60_000;
    const reservations = Array.from({ length: 1001 }, (_, i) => ({ id: randomUUID(), start: now + i * sitting }));
    // The 501st (rank 500) starts a minute before the 500th ends.
    reservations[500].start -= 60_000;
    const batch = redis.multi();
    for (const r of reservations) {
      batch.hset(keys.restaurantReservation(restaurantId, r.id), {
        id: r.id,
        userId: randomUUID(),
        tableId,
        start: r.start,
        end: r.start + sitting,
        partySize: 2,
        status: 'booked',
        version: 1,
      });
      batch.zadd(keys.restaurantSittings(restaurantId), r.start, `${tableId}|${r.id}`);
      batch.zadd(keys.restaurantReservations(restaurantId), r.start, r.id);
    }
    await batch.exec();
    const { findings } = await check();
    expect(findings).toEqual([
      {
        invariant: 'restaurant-table-overlap',
        keys: [reservations[499].id, reservations[500].id].map(
          (id) => config.redisKeyPrefix + keys.restaurantReservation(restaurantId, id),
        ),
        detail: expect.stringContaining(`table ${tableId}`),
      },
    ]);
  });
});
