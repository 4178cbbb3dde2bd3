import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { decodeOutboxEntry } from '../../src/outbox/outbox.codec.js';
import type { StreamEntry } from '../../src/outbox/outbox.codec.js';
import { keys } from '../../src/redis/keys.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import { builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { reserveWithWebhook, startOutboxService } from '../support/outbox-service.js';
import { killService } from '../support/service.js';
import { testConfig, testRedisUrl } from '../support/test-app.js';
import { WebhookReceiver, verifyStandardWebhook } from '../support/webhook-receiver.js';

/**
 * The outbox across a crash: the service, a real process, stores a reservation (and its outbox entry, in the same
 * script) and is killed (SIGKILL) before it delivers; the next process delivers it, exactly once, to a real receiver.
 */
describe('outbox across a crash', () => {
  const admin = { email: `admin-${randomUUID().slice(0, 8)}@outbox.test`, password: 'outbox crash password' };
  const prefix = `outbox-crash:${randomUUID().slice(0, 8)}:`;
  const services: ChildProcess[] = [];
  let receiver: WebhookReceiver;
  const redis = createRedisClient(redisOptionsFrom(testConfig({ redisUrl: testRedisUrl(), redisKeyPrefix: prefix })));

  beforeAll(async () => {
    builtMain();
    receiver = await WebhookReceiver.start();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(services.map(killService));
    await receiver.close();
    await redis.quit();
  });

  const start = (env: Record<string, string>) => startOutboxService(services, prefix, admin, env);

  it('a reservation stored by a process killed before delivering is delivered once by the next process', async () => {
    // The first process stores changes but relays nothing: killed "between the change and the delivery".
    const first = await start({ OUTBOX_RELAY: 'false' });
    const { auth, hook, event } = await reserveWithWebhook(first, admin, receiver.url);
    const stored = ((await redis.xrange(keys.eventOutbox(event.body.id), '-', '+')) as StreamEntry[]).map(
      decodeOutboxEntry,
    );
    expect(stored.map((e) => e.type)).toEqual(['seat.reserved']);
    await killService(first.process);
    expect(receiver.received).toHaveLength(0);

    const second = await start({});
    await receiver.until((got) => got.length === 1, 30_000);
    const [delivered] = receiver.received;
    expect(delivered.id).toBe(stored[0].id);
    expect(verifyStandardWebhook(hook.body.secret, delivered)).toBe(true);
    await eventually(async () => {
      const list = await second.http().get(`/v1/webhooks/${hook.body.id}/deliveries`).set(auth).expect(200);
      expect(list.body.items).toMatchObject([{ id: stored[0].id, status: 'succeeded', attempts: 1 }]);
      expect(await redis.exists(keys.eventOutbox(event.body.id))).toBe(0);
    }, 30_000);
    expect(receiver.received).toHaveLength(1);
  }, 150_000);
});
