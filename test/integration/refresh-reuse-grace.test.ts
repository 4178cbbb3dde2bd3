import { authScripts } from '../../src/auth/auth.scripts.js';
import { RedisRefreshTokensRepository } from '../../src/auth/redis-refresh-tokens.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { NOW, newId } from '../support/factories.js';
import { deliveredTwice } from '../support/redelivery.js';
import { testConfig } from '../support/test-app.js';

/** The rotate script's reuse grace against Redis: its answers, what it stores, and each call run twice. */
describe('refresh-token rotation with a reuse grace', () => {
  let redis: RedisClient;
  let tokens: RedisRefreshTokensRepository;
  const config = testConfig();
  const ttlSeconds = 30 * 86_400;
  const reuseGraceMs = 10_000;
  const at = (nowMs: number) => ({ ttlSeconds, nowMs, reuseGraceMs });

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    tokens = new RedisRefreshTokensRepository(redis);
  });
  afterAll(() => redis.quit());

  /** A fresh family whose current token hash is 'h0', rotated to 'h1' at NOW. */
  async function rotatedOnce() {
    const familyId = newId();
    const userId = newId();
    await tokens.start(familyId, userId, 'h0', ttlSeconds);
    expect(await tokens.rotate(familyId, 'h0', 'h1', at(NOW))).toEqual({ outcome: 'rotated', userId });
    return { familyId, userId, key: keys.refreshFamily(familyId) };
  }

  it('records the time of a rotation of the current token', async () => {
    const { userId, key } = await rotatedOnce();
    expect(await redis.hgetall(key)).toEqual({ userId, current: 'h1', previous: 'h0', rotatedAt: String(NOW) });
  });

  it('the previous token within the grace rotates again: only current changes, also when run twice', async () => {
    const { familyId, userId, key } = await rotatedOnce();
    const later = NOW + reuseGraceMs - 1;
    expect(await tokens.rotate(familyId, 'h0', 'h2', at(later))).toEqual({ outcome: 'rotated', userId });
    expect(await tokens.rotate(familyId, 'h0', 'h2', at(later))).toEqual({ outcome: 'rotated', userId });
    expect(await redis.hgetall(key)).toEqual({ userId, current: 'h2', previous: 'h0', rotatedAt: String(NOW) });
    // Used again, still within the window that began at NOW.
    expect(await tokens.rotate(familyId, 'h0', 'h3', at(later))).toEqual({ outcome: 'rotated', userId });
    expect(await redis.hgetall(key)).toEqual({ userId, current: 'h3', previous: 'h0', rotatedAt: String(NOW) });
    // The newest pair rotates normally and starts a window of its own.
    expect(await tokens.rotate(familyId, 'h3', 'h4', at(later))).toEqual({ outcome: 'rotated', userId });
    expect(await redis.hgetall(key)).toEqual({ userId, current: 'h4', previous: 'h3', rotatedAt: String(later) });
  });

  it('a grace rotation delivered twice by the client library answers rotated and revokes nothing', async () => {
    const { familyId, userId, key } = await rotatedOnce();
    const outcome = await deliveredTwice(redis, authScripts.rotateRefresh, () =>
      tokens.rotate(familyId, 'h0', 'h2', at(NOW + 1)),
    );
    expect(outcome).toEqual({ outcome: 'rotated', userId });
    expect(await redis.hgetall(key)).toEqual({ userId, current: 'h2', previous: 'h0', rotatedAt: String(NOW) });
  });

  it('the successor a grace rotation superseded revokes the family', async () => {
    const { familyId, key } = await rotatedOnce();
    await tokens.rotate(familyId, 'h0', 'h2', at(NOW + 1));
    expect(await tokens.rotate(familyId, 'h1', 'h3', at(NOW + 2))).toEqual({ outcome: 'reused' });
    expect(await redis.hget(key, 'revoked')).toBe('1');
    expect(await redis.hget(key, 'current')).toBe('h2');
    // Run twice: the family stays revoked, nothing else changes.
    expect(await tokens.rotate(familyId, 'h1', 'h3', at(NOW + 2))).toEqual({ outcome: 'invalid' });
    expect(await tokens.rotate(familyId, 'h2', 'h4', at(NOW + 2))).toEqual({ outcome: 'invalid' });
    expect(await redis.hget(key, 'current')).toBe('h2');
  });

  it('the previous token once the grace is over revokes the family', async () => {
    const { familyId, key } = await rotatedOnce();
    expect(await tokens.rotate(familyId, 'h0', 'h2', at(NOW + reuseGraceMs))).toEqual({ outcome: 'reused' });
    expect(await redis.hget(key, 'revoked')).toBe('1');
    expect(await redis.hget(key, 'current')).toBe('h1');
  });

  it('a token older than the previous one revokes the family, within the grace too', async () => {
    const { familyId, userId, key } = await rotatedOnce();
    expect(await tokens.rotate(familyId, 'h1', 'h2', at(NOW + 1))).toEqual({ outcome: 'rotated', userId });
    expect(await tokens.rotate(familyId, 'h0', 'h3', at(NOW + 2))).toEqual({ outcome: 'reused' });
    expect(await redis.hget(key, 'revoked')).toBe('1');
  });

  it('a grace of 0 is strict, and a family stored without a rotation time gets no grace', async () => {
    const { familyId, key } = await rotatedOnce();
    expect(await tokens.rotate(familyId, 'h0', 'h2', { ttlSeconds, nowMs: NOW, reuseGraceMs: 0 })).toEqual({
      outcome: 'reused',
    });
    expect(await redis.hget(key, 'revoked')).toBe('1');

    const legacy = await rotatedOnce();
    await redis.hdel(legacy.key, 'rotatedAt');
    expect(await tokens.rotate(legacy.familyId, 'h0', 'h2', at(NOW))).toEqual({ outcome: 'reused' });
  });

  it('many concurrent rotations of one token within the grace all rotate; the one that ran last is current', async () => {
    const familyId = newId();
    const userId = newId();
    const key = keys.refreshFamily(familyId);
    await tokens.start(familyId, userId, 'h0', ttlSeconds);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => tokens.rotate(familyId, 'h0', `next-${i}`, at(NOW))),
    );
    expect(outcomes).toEqual(Array(20).fill({ outcome: 'rotated', userId }));
    const stored = await redis.hgetall(key);
    expect(stored).toEqual({
      userId,
      current: expect.stringMatching(/^next-\d+$/),
      previous: 'h0',
      rotatedAt: String(NOW),
    });
  });
});
