import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { decodeOutboxEntry } from '../../src/outbox/outbox.codec.js';
import type { StreamEntry } from '../../src/outbox/outbox.codec.js';
import { freePort } from '../../src/redis/embedded-redis.js';
import { keys } from '../../src/redis/keys.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import { ROOT, builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { killService, spawnService } from '../support/service.js';
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

  async function start(env: Record<string, string>) {
    const port = await freePort();
    let output = '';
    const service = spawnService(
      join(ROOT, 'dist', 'main.js'),
      {
        PORT: String(port),
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: prefix,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: 'warn',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        OUTBOX_POLL_INTERVAL_MS: '50',
        ...env,
      },
      (chunk) => (output += chunk),
    );
    services.push(service);
    const http = () => request(`http://127.0.0.1:${port}`);
    await eventually(async () => expect((await http().get('/health/ready')).status).toBe(200), 60_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\nservice output:\n${output}`);
      },
    );
    return { process: service, http };
  }

  it('a reservation stored by a process killed before delivering is delivered once by the next process', async () => {
    // The first process stores changes but relays nothing: killed "between the change and the delivery".
    const first = await start({ OUTBOX_RELAY: 'false' });
    const token = (await first.http().post('/v1/auth/login').send(admin).expect(200)).body.accessToken as string;
    const auth = { Authorization: `Bearer ${token}` };
    const hook = await first
      .http()
      .post('/v1/webhooks')
      .set(auth)
      .send({ url: receiver.url, events: ['seat.reserved'] })
      .expect(201);
    const event = await first
      .http()
      .post('/v1/events')
      .set(auth)
      .send({ name: 'Crash', numberOfSeats: 10 })
      .expect(201);
    const seats = (await first.http().get(`/v1/events/${event.body.id}/seats?status=all`).expect(200)).body;
    const seat = `/v1/events/${event.body.id}/seats/${seats[0].id}`;
    await first.http().post(`${seat}/hold`).set(auth).expect(200);
    await first.http().post(`${seat}/reserve`).set(auth).expect(201);
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
