import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { keys } from '../../src/redis/keys.js';
import { ROOT, builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { killService, spawnService } from '../support/service.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import { TestApp, testClusterNodes, testRedisUrl } from '../support/test-app.js';

/**
 * Exactly one email per event across a crash and a retry: the built service (a real process) reserves seats and is
 * killed with SIGKILL before anything delivered the event; another instance on the same Redis sends its email after a
 * refusal for now, once, every attempt with the same Message-ID.
 */
describe('email across a crash between the change and its delivery, and a retry', () => {
  const admin = { email: `admin-${randomUUID()}@example.com`, password: 'correct horse battery' };
  const prefix = `mailcrash:${randomUUID().slice(0, 8)}:`;
  let smtp: SmtpCatcher;
  let service: ChildProcess | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    builtMain();
    smtp = await SmtpCatcher.start();
  }, 180_000);
  afterAll(async () => {
    await killService(service);
    await t?.close();
    await smtp.close();
  });

  it('sends the reservation’s confirmation once, from the instance that survived', async () => {
    const port = await freePort();
    let output = '';
    const cluster = testClusterNodes();
    service = spawnService(
      join(ROOT, 'dist', 'main.js'),
      {
        PORT: String(port),
        ...(cluster.length > 0 ? { REDIS_CLUSTER_NODES: cluster.join(',') } : { REDIS_URL: testRedisUrl() }),
        REDIS_KEY_PREFIX: prefix,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'tickets@mail.example.test',
        // This instance makes the change and dies before any relay ran: the event is only in the outbox.
        OUTBOX_RELAY: 'false',
        HOLD_SWEEP_INTERVAL_MS: '0',
        LOG_LEVEL: 'warn',
      },
      (chunk) => (output += chunk),
    );
    const http = () => request(`http://127.0.0.1:${port}`);
    await eventually(async () => expect((await http().get('/health/ready')).status).toBe(200), 60_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\nservice output:\n${output}`);
      },
    );
    const adminToken = (await http().post('/v1/auth/login').send(admin).expect(200)).body.accessToken as string;
    const customer = { email: `${randomUUID()}@example.com`, password: 'correct horse battery', name: 'Ada' };
    const session = (await http().post('/v1/auth/register').send(customer).expect(201)).body;
    const auth = { Authorization: `Bearer ${session.accessToken as string}` };
    const event = await http()
      .post('/v1/events')
      .set({ Authorization: `Bearer ${adminToken}` })
      .send({ name: 'Crash concert', numberOfSeats: 10 });
    expect(event.status).toBe(201);
    const seats = (await http().get(`/v1/events/${event.body.id}/seats?status=all`).expect(200)).body as {
      id: string;
    }[];
    const seatIds = [seats[0]!.id];
    await http().post(`/v1/events/${event.body.id}/holds`).set(auth).send({ seatIds }).expect(200);
    await http().post(`/v1/events/${event.body.id}/reservations`).set(auth).send({ seatIds }).expect(201);

    await killService(service);
    expect(smtp.received).toHaveLength(0);

    // Another instance with the relay on, same Redis and prefix: it finds the stream and sends the email, which the
    // server first refuses for now (451): retried, then delivered.
    smtp.mode = { at: 'data', code: 451 };
    t = await TestApp.start({
      redisKeyPrefix: prefix,
      smtpUrl: smtp.url,
      mailFrom: 'tickets@mail.example.test',
      outboxRelay: true,
      outboxPollIntervalMs: 20,
      outboxScanIntervalMs: 100,
      outboxRetryBaseMs: 20,
    });
    await eventually(async () => expect(smtp.refused.length).toBeGreaterThanOrEqual(1), 10_000);
    smtp.mode = 'accept';
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual([customer.email]);
    expect(mail!.subject).toBe('Reserved: 1 seat for Crash concert');
    expect(mail!.messageId).toMatch(/^<evt_[0-9a-f]{32}\.confirmations@mail\.example\.test>$/);
    // Handed over and trimmed: no second delivery can come from the outbox.
    await eventually(async () => expect(await t!.redis.exists(keys.eventOutbox(event.body.id))).toBe(0), 10_000);
    expect(smtp.received).toHaveLength(1);
    expect(new Set(smtp.refused.map((m) => m.messageId))).toEqual(new Set([mail!.messageId]));
  }, 120_000);
});
