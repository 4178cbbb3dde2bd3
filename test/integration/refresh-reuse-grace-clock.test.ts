import { RedisRefreshTokensRepository } from '../../src/auth/redis-refresh-tokens.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { NOW, newId } from '../support/factories.js';
import { testConfig } from '../support/test-app.js';

/**
 * The reuse grace against clocks and logouts: an instance whose clock is behind the one that rotated grants no grace
 * (so it cannot stretch the window by its lag), a grace of 0 is strict at any clock, and a logout with the token the
 * last rotation spent ends the family (the client whose answer was lost holds that one).
 */
describe('refresh-token reuse grace: clocks and logout', () => {
  let redis: RedisClient;
  let tokens: RedisRefreshTokensRepository;
  const config = testConfig();
  const ttlSeconds = 30 * 86_400;

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    tokens = new RedisRefreshTokensRepository(redis);
  });
  afterAll(() => redis.quit());

  async function rotatedOnce() {
    const familyId = newId();
    const userId = newId();
    await tokens.start(familyId, userId, 'h0', ttlSeconds);
    expect(await tokens.rotate(familyId, 'h0', 'h1', { ttlSeconds, nowMs: NOW, reuseGraceMs: 10_000 })).toEqual({
      outcome: 'rotated',
      userId,
    });
    return { familyId, key: keys.refreshFamily(familyId) };
  }

  it.each([0, 10_000])(
    'a clock behind the rotation grants no grace (grace %d ms): the family is revoked',
    async (g) => {
      const { familyId, key } = await rotatedOnce();
      const behind = { ttlSeconds, nowMs: NOW - 3_600_000, reuseGraceMs: g };
      expect(await tokens.rotate(familyId, 'h0', 'h2', behind)).toEqual({ outcome: 'reused' });
      expect(await redis.hget(key, 'revoked')).toBe('1');
    },
  );

  it('a logout with the previous token ends the family, so it can no longer be rotated in the grace', async () => {
    const { familyId, key } = await rotatedOnce();
    await tokens.revoke(familyId, 'h0');
    expect(await redis.hget(key, 'revoked')).toBe('1');
    expect(await tokens.rotate(familyId, 'h0', 'h2', { ttlSeconds, nowMs: NOW + 1, reuseGraceMs: 10_000 })).toEqual({
      outcome: 'invalid',
    });
  });

  it('a logout with an older token than the previous one changes nothing', async () => {
    const { familyId, key } = await rotatedOnce();
    await tokens.rotate(familyId, 'h1', 'h2', { ttlSeconds, nowMs: NOW + 1, reuseGraceMs: 10_000 });
    await tokens.revoke(familyId, 'h0');
    expect(await redis.hget(key, 'revoked')).toBeNull();
  });
});
