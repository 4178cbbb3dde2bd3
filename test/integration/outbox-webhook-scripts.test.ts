import { randomUUID } from 'node:crypto';
import { outboxScripts } from '../../src/outbox/outbox.scripts.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys, lexMember } from '../../src/redis/keys.js';
import { webhooksScripts } from '../../src/webhooks/webhooks.scripts.js';
import { testConfig } from '../support/test-app.js';

/** Review findings 8 and 11 on the scripts themselves, against real Redis. */
describe('outbox and webhook scripts', () => {
  let redis: RedisClient;
  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(testConfig()));
  });
  afterAll(() => redis.quit());

  it('trim removes an entry only while it carries the event id the relay read (a re-created stream keeps its new entry)', async () => {
    const stream = keys.eventOutbox(randomUUID());
    await redis.xadd(stream, '5-1', 'id', 'evt_new', 'type', 'seat.reserved');
    // A stalled relay read "5-1" as evt_old from the stream before it was emptied, deleted and appended again.
    expect(await outboxScripts.trim.run(redis, [stream, '5-1', 'evt_old'])).toBe(1);
    expect(await redis.xlen(stream)).toBe(1);
    expect(await outboxScripts.trim.run(redis, [stream, '5-1', 'evt_new'])).toBe(0);
    expect(await redis.exists(stream)).toBe(0);
  });

  it('a delivery that drops off the endpoint’s list has its hash deleted in the same step', async () => {
    const webhookId = randomUUID();
    await redis.hset(keys.webhook(webhookId), { id: webhookId, enabled: '1' });
    const record = (eventId: string, now: number) =>
      webhooksScripts.recordAttempt.run(redis, [
        keys.webhook(webhookId),
        keys.webhookDelivery(webhookId, eventId),
        keys.webhookDeliveries(webhookId),
        eventId,
        'seat.reserved',
        '{}',
        now,
        'succeeded',
        200,
        '',
        86_400_000,
        2,
        lexMember(now, eventId),
        60_000,
        1,
        `${now}#1`,
      ]);
    await record('evt_a', 1000);
    await record('evt_b', 2000);
    await record('evt_c', 3000);
    expect(await redis.zcard(keys.webhookDeliveries(webhookId))).toBe(2);
    expect(await redis.exists(keys.webhookDelivery(webhookId, 'evt_a'))).toBe(0);
    expect(await redis.exists(keys.webhookDelivery(webhookId, 'evt_b'), keys.webhookDelivery(webhookId, 'evt_c'))).toBe(
      2,
    );
    // The same record sent again (a lost reply) counts one attempt.
    await record('evt_c', 3000);
    expect(await redis.hget(keys.webhookDelivery(webhookId, 'evt_c'), 'attempts')).toBe('1');
    await redis.del(
      keys.webhook(webhookId),
      keys.webhookDeliveries(webhookId),
      keys.webhookDelivery(webhookId, 'evt_b'),
      keys.webhookDelivery(webhookId, 'evt_c'),
    );
  });
});
