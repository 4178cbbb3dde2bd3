import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { testConfig } from '../support/test-app.js';

/** The client writes the commands of one event-loop turn together; each is still answered, in order, on its own. */
describe('Redis client: commands of one turn written together', () => {
  let redis: RedisClient;

  beforeAll(async () => {
    redis = createRedisClient(redisOptionsFrom(testConfig()));
    await redis.connect();
  });
  afterAll(() => redis.quit());

  it('answers every command of a turn, in the order issued, and a lone command of a later turn', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => redis.incr('counter')));
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const lone = await new Promise((resolve, reject) => setTimeout(() => redis.incr('counter').then(resolve, reject)));
    expect(lone).toBe(201);
    // Each command of an async chain is issued in its own turn's batch, after the previous one's answer.
    for (let i = 202; i <= 205; i++) expect(await redis.incr('counter')).toBe(i);
  });
});
