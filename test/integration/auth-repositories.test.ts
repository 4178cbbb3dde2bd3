import { RedisRateLimitsRepository } from '../../src/auth/redis-rate-limits.repository.js';
import { RedisRefreshTokensRepository } from '../../src/auth/redis-refresh-tokens.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { DAY, NOW, newId } from '../support/factories.js';
import { testConfig } from '../support/test-app.js';

/** Auth's scripts against Redis: refresh-token rotation and reuse detection, and the rate-limit counters. */
describe('auth repositories', () => {
  let redis: RedisClient;
  const config = testConfig();

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
  });
  afterAll(() => redis.quit());

  describe('RedisRefreshTokensRepository', () => {
    let tokens: RedisRefreshTokensRepository;
    const ttlSeconds = 30 * 86_400;
    // Strict rotation (no reuse grace): the grace has its own test file, refresh-reuse-grace.test.ts.
    const strict = { ttlSeconds, nowMs: NOW, reuseGraceMs: 0 };
    beforeAll(() => {
      tokens = new RedisRefreshTokensRepository(redis);
    });

    /** A fresh family of a fresh user whose current token hash is 'h0'. */
    async function family() {
      const familyId = newId();
      const userId = newId();
      await tokens.start(familyId, userId, 'h0', ttlSeconds);
      return { familyId, userId, key: keys.refreshFamily(familyId) };
    }

    it('rotates the current token, remembers the previous one and slides the lifetime', async () => {
      const { familyId, userId, key } = await family();
      await redis.expire(key, 60);
      expect(await tokens.rotate(familyId, 'h0', 'h1', strict)).toEqual({ outcome: 'rotated', userId });
      expect(await redis.hgetall(key)).toEqual({ userId, current: 'h1', previous: 'h0', rotatedAt: String(NOW) });
      expect(await redis.ttl(key)).toBeGreaterThan(60);
      expect(await redis.ttl(key)).toBeLessThanOrEqual(ttlSeconds);
    });

    it('the same rotation delivered twice answers rotated both times and does not revoke the family', async () => {
      const { familyId, userId, key } = await family();
      expect(await tokens.rotate(familyId, 'h0', 'h1', strict)).toEqual({ outcome: 'rotated', userId });
      expect(await tokens.rotate(familyId, 'h0', 'h1', strict)).toEqual({ outcome: 'rotated', userId });
      expect(await redis.hget(key, 'revoked')).toBeNull();
      expect(await tokens.rotate(familyId, 'h1', 'h2', strict)).toEqual({ outcome: 'rotated', userId });
    });

    it('a used token presented again revokes the family, so its newer sibling stops working too', async () => {
      const { familyId, key } = await family();
      await tokens.rotate(familyId, 'h0', 'h1', strict);
      expect(await tokens.rotate(familyId, 'h0', 'stolen', strict)).toEqual({ outcome: 'reused' });
      expect(await redis.hget(key, 'revoked')).toBe('1');
      expect(await redis.hget(key, 'current')).toBe('h1');
      expect(await tokens.rotate(familyId, 'h1', 'h2', strict)).toEqual({ outcome: 'invalid' });
    });

    it('an unknown token revokes a live family; an unknown family is invalid and stores nothing', async () => {
      const { familyId, key } = await family();
      expect(await tokens.rotate(familyId, 'guess', 'h1', strict)).toEqual({ outcome: 'reused' });
      expect(await redis.hget(key, 'revoked')).toBe('1');
      const unknown = newId();
      expect(await tokens.rotate(unknown, 'h0', 'h1', strict)).toEqual({ outcome: 'invalid' });
      expect(await redis.exists(keys.refreshFamily(unknown))).toBe(0);
    });

    it('of many concurrent rotations of one token exactly one rotates, and the first loser revokes the family', async () => {
      const { familyId, userId, key } = await family();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => tokens.rotate(familyId, 'h0', `next-${i}`, strict)),
      );
      const winners = outcomes.flatMap((o, i) => (o.outcome === 'rotated' ? [i] : []));
      expect(winners).toHaveLength(1);
      // The first loser finds a used token and revokes the family; the ones after it find it revoked.
      expect(outcomes.filter((o) => o.outcome === 'reused')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'invalid')).toHaveLength(18);
      expect(outcomes[winners[0]]).toEqual({ outcome: 'rotated', userId });
      expect(await redis.hgetall(key)).toEqual({
        userId,
        current: `next-${winners[0]}`,
        previous: 'h0',
        rotatedAt: String(NOW),
        revoked: '1',
      });
    });

    it('revoke ends the family only with its current token; twice is harmless', async () => {
      const { familyId, key } = await family();
      await tokens.revoke(familyId, 'not-the-token');
      expect(await redis.hget(key, 'revoked')).toBeNull();
      await tokens.revoke(familyId, 'h0');
      await tokens.revoke(familyId, 'h0');
      expect(await redis.hget(key, 'revoked')).toBe('1');
      expect(await tokens.rotate(familyId, 'h0', 'h1', strict)).toEqual({ outcome: 'invalid' });
    });
  });

  describe('RedisRateLimitsRepository', () => {
    let limits: RedisRateLimitsRepository;
    beforeAll(() => {
      limits = new RedisRateLimitsRepository(redis);
    });

    it('counts concurrent hits exactly once each, in one window that only the first hit starts', async () => {
      const client = newId();
      const windowMs = DAY;
      const key = keys.rateLimit('login', client);
      await limits.hit('login', client, windowMs);
      await redis.pexpire(key, windowMs / 2);
      const results = await Promise.all(Array.from({ length: 30 }, () => limits.hit('login', client, windowMs)));
      expect(results.map((r) => r.attempts).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
      // Later hits do not extend the window the first one started.
      for (const r of results) expect(r.resetInMs).toBeLessThanOrEqual(windowMs / 2);
      expect(await redis.get(key)).toBe('31');
      expect(await redis.pttl(key)).toBeLessThanOrEqual(windowMs / 2);
    });

    it('a new window starts with a fresh counter and its own expiry', async () => {
      const client = newId();
      expect(await limits.hit('login', client, DAY)).toEqual({ attempts: 1, resetInMs: expect.any(Number) });
      const pttl = await redis.pttl(keys.rateLimit('login', client));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(DAY);
      expect(await limits.hit('signup', client, DAY)).toMatchObject({ attempts: 1 });
    });

    it('report sums instances, and a repeated or late report of an instance changes nothing', async () => {
      const client = newId();
      const bucket = `w-${newId()}`;
      const key = keys.rateLimit(bucket, client);
      expect(await limits.report(bucket, client, 'a', 3, DAY)).toBe(3);
      expect(await limits.report(bucket, client, 'b', 2, DAY)).toBe(5);
      expect(await limits.report(bucket, client, 'a', 3, DAY)).toBe(5);
      expect(await limits.report(bucket, client, 'a', 1, DAY)).toBe(5);
      expect(await redis.hgetall(key)).toEqual({ a: '3', b: '2' });
      expect(await limits.report(bucket, client, 'a', 4, DAY)).toBe(6);
      expect(await redis.hgetall(key)).toEqual({ a: '4', b: '2' });
      expect(await redis.pttl(key)).toBeGreaterThan(0);
    });

    it('reports of one instance arriving in any order keep its highest count', async () => {
      const client = newId();
      const bucket = `w-${newId()}`;
      const counts = Array.from({ length: 40 }, (_, i) => ((i * 17) % 40) + 1);
      const totals = await Promise.all(counts.map((n) => limits.report(bucket, client, 'a', n, DAY)));
      expect(await redis.hgetall(keys.rateLimit(bucket, client))).toEqual({ a: '40' });
      expect(Math.max(...totals)).toBe(40);
      expect(await limits.report(bucket, client, 'a', 39, DAY)).toBe(40);
    });
  });
});
