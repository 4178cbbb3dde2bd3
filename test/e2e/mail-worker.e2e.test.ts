import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { ROOT, builtMain } from '../support/build.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { killService, spawnService } from '../support/service.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import { TestApp, testClusterNodes, testRedisUrl } from '../support/test-app.js';

const MAIL_FROM = 'tickets@mail.example.test';

/**
 * `npm run worker` sends email: the API (no SMTP_URL, no relay) stores a reservation; the built worker process, with
 * SMTP_URL, relays its outbox entry and sends the confirmation to a real SMTP server.
 */
describe('email from the worker process', () => {
  let smtp: SmtpCatcher;
  let worker: ChildProcess | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    builtMain();
    smtp = await SmtpCatcher.start();
  }, 180_000);
  afterAll(async () => {
    await killService(worker);
    await t?.close();
    await smtp.close();
  });

  it('relays the reservation the API stored and sends its confirmation', async () => {
    const prefix = `mail-worker:${randomUUID().slice(0, 8)}:`;
    const cluster = testClusterNodes();
    const port = await freePort();
    let output = '';
    worker = spawnService(
      join(ROOT, 'dist', 'worker.js'),
      {
        WORKER_PORT: String(port),
        ...(cluster.length > 0 ? { REDIS_CLUSTER_NODES: cluster.join(',') } : { REDIS_URL: testRedisUrl() }),
        REDIS_KEY_PREFIX: prefix,
        SMTP_URL: smtp.url,
        MAIL_FROM,
        OUTBOX_RELAY: 'true',
        OUTBOX_POLL_INTERVAL_MS: '50',
        LOG_LEVEL: 'warn',
      },
      (chunk) => (output += chunk),
    );
    await eventually(
      async () => expect((await request(`http://127.0.0.1:${port}`).get('/health/ready')).status).toBe(200),
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${output}`);
    });

    t = await TestApp.start({ redisKeyPrefix: prefix, outboxRelay: false });
    const manager = await t.register('manager');
    const ada = await t.register('customer', 'Ada');
    const event = await createEvent(t, manager, { name: 'Worker gala', numberOfSeats: 10 });
    const seatIds = [event.seats[0]!.id];
    await t.http().post(`/v1/events/${event.id}/holds`).set(ada.auth).send({ seatIds }).expect(200);
    await t.http().post(`/v1/events/${event.id}/reservations`).set(ada.auth).send({ seatIds }).expect(201);

    const [mail] = await smtp.waitFor(1, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${output}`);
    });
    expect(mail!.to).toEqual([ada.email]);
    expect(mail!.subject).toBe('Reserved: 1 seat for Worker gala');
    // The outbox event's id (the worker has trimmed the entry it handed over).
    expect(mail!.messageId).toMatch(/^<evt_[0-9a-f]+\.confirmations@mail\.example\.test>$/);
    expect(smtp.received).toHaveLength(1);
  }, 120_000);
});
