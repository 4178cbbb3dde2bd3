import { randomUUID } from 'node:crypto';
import { WebhooksRepository } from '../../src/webhooks/webhooks.repository.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { createEvent } from '../support/events.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** Webhook URLs may not reach the service's own network (SSRF): refused at registration and again at delivery. */
describe('webhooks: private addresses refused', () => {
  let t: TestApp;
  let admin: Account;

  beforeAll(async () => {
    t = await TestApp.start({
      accessTokenTtlSeconds: 86_400,
      outboxRelay: true,
      outboxPollIntervalMs: 20,
      outboxRetryBaseMs: 20,
      webhookAllowPrivate: false,
    });
    admin = await t.register('admin');
  });
  afterAll(() => t.close());

  it.each([
    ['http://93.184.215.14/hook', 'must be an https URL'],
    ['https://127.0.0.1/hook', 'private'],
    ['https://localhost:8443/hook', 'private'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://172.16.0.1/hook', 'private'],
    ['https://192.168.1.1/hook', 'private'],
    ['https://100.64.0.1/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://0.0.0.0/hook', 'private'],
    ['https://[::1]/hook', 'private'],
    ['https://[fd00:ec2::254]/hook', 'private'],
    ['https://[fe80::1]/hook', 'private'],
    ['https://[::ffff:127.0.0.1]/hook', 'private'],
    ['https://[64:ff9b::a9fe:a9fe]/hook', 'private'],
    ['https://user:secret@93.184.215.14/hook', 'credentials'],
    ['ftp://93.184.215.14/hook', 'https'],
    ['not a url', 'is not a URL'],
  ])('refuses %s', async (url, reason) => {
    const res = await t
      .http()
      .post('/v1/webhooks')
      .set(admin.auth)
      .send({ url, events: ['seat.reserved'] });
    expectProblem(res, 422, 'WEBHOOK_URL_REFUSED');
    expect(res.body.detail).toContain(reason);
    expect((await t.http().get('/v1/webhooks').set(admin.auth)).body.items).toEqual([]);
  });

  it('accepts a public address, and refuses a change of it to a private one', async () => {
    const created = await t
      .http()
      .post('/v1/webhooks')
      .set(admin.auth)
      .send({ url: 'https://93.184.215.14/hook', events: ['booking.created'] });
    expect(created.status).toBe(201);
    expectProblem(
      await t.http().patch(`/v1/webhooks/${created.body.id}`).set(admin.auth).send({ url: 'https://127.0.0.1/x' }),
      422,
      'WEBHOOK_URL_REFUSED',
    );
    await t.http().delete(`/v1/webhooks/${created.body.id}`).set(admin.auth).expect(204);
  });

  it('checks again at delivery: an endpoint that now leads to a private address gets nothing, for good', async () => {
    // As if its name had been re-pointed at the service's network after registration (DNS rebinding).
    const receiver = await WebhookReceiver.start();
    try {
      const id = randomUUID();
      const now = t.clock.now();
      await t.app.get(WebhooksRepository).create(
        {
          id,
          ownerId: admin.id,
          ownerRole: 'admin',
          url: receiver.url.replace('http:', 'https:'),
          events: ['seat.reserved'],
          description: null,
          enabled: true,
          disabledReason: null,
          secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmU=',
          previousSecret: null,
          previousSecretUntil: null,
          failingSince: null,
          ownerToldAt: null,
          createdAt: now,
          updatedAt: now,
        },
        25,
      );
      const manager = await t.register('manager');
      const event = await createEvent(t, manager);
      const seat = `/v1/events/${event.id}/seats/${event.seats[0].id}`;
      await t.http().post(`${seat}/hold`).set(manager.auth).expect(200);
      await t.http().post(`${seat}/reserve`).set(manager.auth).expect(201);

      const deadline = Date.now() + 15_000;
      let items: { status: string; lastError: string | null }[] = [];
      while (items[0]?.status !== 'failed') {
        if (Date.now() > deadline) throw new Error(JSON.stringify(items));
        await new Promise((resolve) => setTimeout(resolve, 20));
        items = (await t.http().get(`/v1/webhooks/${id}/deliveries`).set(admin.auth)).body.items;
      }
      expect(items).toHaveLength(1);
      expect(items[0].lastError).toContain('private');
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
