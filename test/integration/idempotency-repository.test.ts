import { RedisIdempotencyRepository } from '../../src/idempotency/redis-idempotency.repository.js';
import type { StoredResponse } from '../../src/idempotency/idempotency.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { DAY, newId } from '../support/factories.js';
import { eventually } from '../support/eventually.js';
import { testConfig } from '../support/test-app.js';

/** The Idempotency-Key scripts (begin, complete, release) against Redis. */
describe('RedisIdempotencyRepository', () => {
  let redis: RedisClient;
  let repo: RedisIdempotencyRepository;
  const config = testConfig();
  const lockMs = DAY;
  const ttlMs = DAY;
  const response: StoredResponse = {
    status: 201,
    headers: { location: '/v1/bookings/1', 'content-type': 'application/json' },
    body: '{"id":"1"}',
  };

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    repo = new RedisIdempotencyRepository(redis);
  });
  afterAll(() => redis.quit());

  /** A fresh caller and key, with the record's Redis key. */
  const fresh = () => {
    const callerId = newId();
    const key = newId();
    return { callerId, key, record: keys.idempotency(callerId, key) };
  };

  it('of many concurrent first requests with one key exactly one claims it; the others see it running', async () => {
    const { callerId, key, record } = fresh();
    const owners = Array.from({ length: 25 }, () => newId());
    const outcomes = await Promise.all(owners.map((owner) => repo.claim(callerId, key, 'fp', owner, lockMs)));
    const winners = outcomes.flatMap((o, i) => (o.outcome === 'claimed' ? [owners[i]] : []));
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'in-flight')).toHaveLength(24);
    expect(await redis.hgetall(record)).toEqual({ state: 'running', fingerprint: 'fp', owner: winners[0] });
    const pttl = await redis.pttl(record);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(lockMs);
  });

  it('a claim delivered twice is claimed both times (its owner sees its own claim)', async () => {
    const { callerId, key } = fresh();
    const owner = newId();
    expect(await repo.claim(callerId, key, 'fp', owner, lockMs)).toEqual({ outcome: 'claimed' });
    expect(await repo.claim(callerId, key, 'fp', owner, lockMs)).toEqual({ outcome: 'claimed' });
  });

  it('a completed request replays its answer; a different request with the key is refused', async () => {
    const { callerId, key, record } = fresh();
    const owner = newId();
    await repo.claim(callerId, key, 'fp', owner, 1_000);
    await repo.complete(callerId, key, owner, response, ttlMs);

    expect(await redis.hgetall(record)).toEqual({
      state: 'done',
      fingerprint: 'fp',
      owner,
      status: '201',
      headers: JSON.stringify(response.headers),
      body: response.body,
    });
    // The answer is kept for ttlMs, not for the (shorter) lock.
    expect(await redis.pttl(record)).toBeGreaterThan(1_000);
    for (const by of [newId(), owner]) {
      expect(await repo.claim(callerId, key, 'fp', by, lockMs)).toEqual({ outcome: 'replay', response });
    }
    expect(await repo.claim(callerId, key, 'other-fp', newId(), lockMs)).toEqual({ outcome: 'reused' });
    expect(await redis.hget(record, 'fingerprint')).toBe('fp');
  });

  it('a running key with a conflicting fingerprint is refused, not reported as in flight', async () => {
    const { callerId, key } = fresh();
    await repo.claim(callerId, key, 'fp', newId(), lockMs);
    expect(await repo.claim(callerId, key, 'other-fp', newId(), lockMs)).toEqual({ outcome: 'reused' });
  });

  it('complete delivered twice stores the same answer; a non-owner cannot complete', async () => {
    const { callerId, key, record } = fresh();
    const owner = newId();
    await repo.claim(callerId, key, 'fp', owner, lockMs);
    await repo.complete(callerId, key, newId(), response, ttlMs);
    expect(await redis.hget(record, 'state')).toBe('running');

    await repo.complete(callerId, key, owner, response, ttlMs);
    const stored = await redis.hgetall(record);
    await repo.complete(callerId, key, owner, response, ttlMs);
    expect(await redis.hgetall(record)).toEqual(stored);
  });

  it('release frees the key for a retry, only by its owner and only while running', async () => {
    const { callerId, key, record } = fresh();
    const owner = newId();
    await repo.claim(callerId, key, 'fp', owner, lockMs);
    await repo.release(callerId, key, newId());
    expect(await redis.hget(record, 'owner')).toBe(owner);
    await repo.release(callerId, key, owner);
    await repo.release(callerId, key, owner);
    expect(await redis.exists(record)).toBe(0);

    const retry = newId();
    expect(await repo.claim(callerId, key, 'fp', retry, lockMs)).toEqual({ outcome: 'claimed' });
    await repo.complete(callerId, key, retry, response, ttlMs);
    await repo.release(callerId, key, retry);
    expect(await repo.claim(callerId, key, 'fp', newId(), lockMs)).toEqual({ outcome: 'replay', response });
  });

  it('a claim whose process died frees itself after the lock, and its late completion does not overwrite the retry', async () => {
    const { callerId, key, record } = fresh();
    const dead = newId();
    await repo.claim(callerId, key, 'fp', dead, 50);
    // The lock is a Redis TTL: wait for Redis to expire it (polled, not a fixed sleep).
    await eventually(async () => expect(await redis.exists(record)).toBe(0), 5_000, 20);

    const retry = newId();
    expect(await repo.claim(callerId, key, 'fp', retry, lockMs)).toEqual({ outcome: 'claimed' });
    await repo.complete(callerId, key, dead, { ...response, body: 'stale' }, ttlMs);
    await repo.release(callerId, key, dead);
    expect(await redis.hgetall(record)).toEqual({ state: 'running', fingerprint: 'fp', owner: retry });
  });
});
