import { randomUUID } from 'node:crypto';
import { keys, lexMember } from '../../src/redis/keys.js';
import { OWNER_ROLE_CACHE_MS } from '../../src/webhooks/webhook-owners.js';
import type { Account, TestApp } from '../support/test-app.js';
import { expectProblem } from '../support/test-app.js';
import { createEvent } from '../support/events.js';
import { webhookSuite } from '../support/webhooks.js';
import { deliveriesDrained } from '../support/outbox.js';
import { verifyStandardWebhook } from '../support/webhook-receiver.js';

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

/** Review findings on the webhooks (issue 20 part 2), each through the real app and a real receiver. */
describe('webhooks (review)', () => {
  let t: TestApp;
  let admin: Account;
  const { receiver } = webhookSuite({ webhookSecretGraceMs: 600_000, webhookMaxPerOwner: 3 }, (app, account) => {
    t = app;
    admin = account;
  });

  async function register(
    who: Account,
    url: string,
    events = ['seat.reserved'],
  ): Promise<{ id: string; secret: string }> {
    const res = await t.http().post('/v1/webhooks').set(who.auth).send({ url, events });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function reservation(manager: Account): Promise<void> {
    const event = await createEvent(t, manager);
    const customer = t.bearer();
    const seat = `/v1/events/${event.id}/seats/${event.seats[0].id}`;
    await t.http().post(`${seat}/hold`).set(customer.auth).expect(200);
    await t.http().post(`${seat}/reserve`).set(customer.auth).expect(201);
  }

  async function deliveryIn(who: Account, webhookId: string, id: string, status: string): Promise<Delivery> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await t.http().get(`/v1/webhooks/${webhookId}/deliveries`).set(who.auth).expect(200);
      const found = (res.body.items as Delivery[]).find((d) => d.id === id);
      if (found?.status === status) return found;
      if (Date.now() > deadline) throw new Error(`delivery ${id}: ${JSON.stringify(found)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('PATCH with url, events or enabled null is a 400 and changes nothing; deliveries go on (finding 1)', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    const hook = await register(manager, r.url);
    for (const body of [{ events: null }, { url: null }, { enabled: null }]) {
      expectProblem(
        await t.http().patch(`/v1/webhooks/${hook.id}`).set(manager.auth).send(body),
        400,
        'VALIDATION_FAILED',
      );
    }
    const cleared = await t.http().patch(`/v1/webhooks/${hook.id}`).set(manager.auth).send({ description: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ events: ['seat.reserved'], url: r.url, enabled: true, description: null });
    await reservation(manager);
    await r.until((got) => got.length === 1);
  });

  it('an unreadable endpoint row is skipped: every other endpoint still gets its deliveries (finding 1)', async () => {
    const broken = randomUUID();
    await t.redis.hset(keys.webhook(broken), {
      id: broken,
      ownerId: admin.id,
      url: 'https://x.example',
      secret: 's',
      events: 'null',
    });
    await t.redis.zadd(keys.webhooks(), 0, lexMember(0, broken));
    await t.redis.incr(keys.webhooksVersion());
    try {
      const manager = await t.register('manager');
      const r = await receiver();
      await register(manager, r.url);
      await reservation(manager);
      await r.until((got) => got.length === 1);
      expect((await t.http().get('/v1/webhooks').set(admin.auth).expect(200)).body.items).toHaveLength(1);
    } finally {
      await t.redis.zrem(keys.webhooks(), lexMember(0, broken));
      await t.redis.del(keys.webhook(broken));
    }
  });

  it('a second rotation within the grace keeps the secret the receiver had; a retried rotation answers the same secret (finding 3)', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    const hook = await register(manager, r.url);
    const rotate = (key: string) =>
      t.http().post(`/v1/webhooks/${hook.id}/rotate-secret`).set(manager.auth).set('Idempotency-Key', key);
    const first = await rotate('rotate-1').expect(200);
    const replayed = await rotate('rotate-1').expect(200);
    expect(replayed.body).toEqual(first.body);
    // The answer of the first was "lost": the owner rotates again (a new key).
    const second = await rotate('rotate-2').expect(200);
    expect(second.body.previousSecretValidUntil).toBe(first.body.previousSecretValidUntil);

    await reservation(manager);
    await r.until((got) => got.length === 1);
    const [request] = r.received;
    expect(verifyStandardWebhook(hook.secret, request)).toBe(true);
    expect(verifyStandardWebhook(second.body.secret, request)).toBe(true);
    expect(verifyStandardWebhook(first.body.secret, request)).toBe(false);
  });

  it('a delivery whose endpoint was disabled meanwhile is recorded failed; redelivery while retrying is a 409 (findings 5, 13)', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    r.reply = () => ({ status: 503 });
    const hook = await register(manager, r.url);
    await reservation(manager);
    await r.until((got) => got.length >= 1);
    const id = r.received[0].id;
    await deliveryIn(manager, hook.id, id, 'retrying');
    expectProblem(
      await t.http().post(`/v1/webhooks/${hook.id}/deliveries/${id}/redeliver`).set(manager.auth),
      409,
      'WEBHOOK_DELIVERY_RETRYING',
    );
    await t.http().patch(`/v1/webhooks/${hook.id}`).set(manager.auth).send({ enabled: false }).expect(200);
    const failed = await deliveryIn(manager, hook.id, id, 'failed');
    expect(failed.lastError).toBe('the endpoint is disabled');
    await deliveriesDrained(t.config, 'webhooks');
  });

  it('an admin demoted to manager: their endpoint no longer gets events of others’ aggregates (finding 6)', async () => {
    const other = await t.register('admin');
    const [demotedReceiver, adminReceiver] = [await receiver(), await receiver()];
    await register(other, demotedReceiver.url);
    await register(admin, adminReceiver.url);
    const manager = await t.register('manager');
    await reservation(manager);
    await demotedReceiver.until((got) => got.length === 1);
    await adminReceiver.until((got) => got.length === 1);

    await t.http().patch(`/v1/users/${other.id}`).set(admin.auth).send({ role: 'manager' }).expect(200);
    t.clock.advance(OWNER_ROLE_CACHE_MS + 1);
    await reservation(manager);
    await adminReceiver.until((got) => got.length === 2);
    await deliveriesDrained(t.config, 'webhooks');
    expect(demotedReceiver.received).toHaveLength(1);
  });

  it('at most WEBHOOK_MAX_PER_OWNER endpoints per owner, also when registered at once (finding 7)', async () => {
    const manager = await t.register('manager');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t
          .http()
          .post('/v1/webhooks')
          .set(manager.auth)
          .send({ url: `https://93.184.215.14/hook/${i}`, events: ['seat.reserved'] }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const refused of results.filter((r) => r.status !== 201)) expectProblem(refused, 409, 'WEBHOOK_LIMIT_REACHED');
    expect((await t.http().get('/v1/webhooks').set(manager.auth).expect(200)).body.items).toHaveLength(3);
    // Another owner's count is their own.
    const other = await t.register('manager');
    await register(other, 'https://93.184.215.14/hook/other');
  });

  it('deleting an endpoint deletes its deliveries (finding 8)', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    const hook = await register(manager, r.url);
    await reservation(manager);
    await r.until((got) => got.length === 1);
    const id = r.received[0].id;
    await deliveryIn(manager, hook.id, id, 'succeeded');
    expect(await t.redis.exists(keys.webhookDelivery(hook.id, id))).toBe(1);
    await t.http().delete(`/v1/webhooks/${hook.id}`).set(manager.auth).expect(204);
    expect(await t.redis.exists(keys.webhookDelivery(hook.id, id), keys.webhookDeliveries(hook.id))).toBe(0);
  });
});
