import { Queue } from 'bullmq';
import { deliveryQueueName } from '../../src/outbox/outbox-deliveries.js';
import { bullConnection } from '../../src/redis/bull-connection.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import type { Account, TestApp } from '../support/test-app.js';
import { expectProblem } from '../support/test-app.js';
import { createEvent } from '../support/events.js';
import { webhookSuite } from '../support/webhooks.js';
import { verifyStandardWebhook } from '../support/webhook-receiver.js';
import type { Received } from '../support/webhook-receiver.js';

interface Delivery {
  id: string;
  type: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  redeliveries: number;
}

/** Webhooks end to end: the real app relays its outbox to a real HTTP receiver that checks what it gets. */
describe('webhooks', () => {
  let t: TestApp;
  let admin: Account;
  const { receiver } = webhookSuite(
    // Short enough that moving the clock past them leaves the day-long access tokens valid.
    { webhookSecretGraceMs: 60_000 },
    (app, account) => {
      t = app;
      admin = account;
    },
  );

  async function register(
    who: Account,
    url: string,
    events: string[] = ['seat.reserved'],
  ): Promise<{ id: string; secret: string }> {
    const res = await t.http().post('/v1/webhooks').set(who.auth).send({ url, events, description: 'test' });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** A manager's event with one seat reserved by a new customer; answers the event id and the customer. */
  async function reservation(manager: Account, n = 0): Promise<{ eventId: string; customerId: string }> {
    const event = await createEvent(t, manager);
    const customer = t.bearer();
    const seat = `/v1/events/${event.id}/seats/${event.seats[n].id}`;
    await t.http().post(`${seat}/hold`).set(customer.auth).expect(200);
    await t.http().post(`${seat}/reserve`).set(customer.auth).expect(201);
    return { eventId: event.id, customerId: customer.id };
  }

  const bodyOf = (r: Received) =>
    JSON.parse(r.body) as { type: string; timestamp: string; data: Record<string, unknown> };

  async function deliveries(who: Account, webhookId: string): Promise<Delivery[]> {
    const res = await t.http().get(`/v1/webhooks/${webhookId}/deliveries`).set(who.auth).expect(200);
    return res.body.items;
  }

  /** Waits until the endpoint's delivery of `id` is in `status` (deliveries are recorded after each attempt). */
  async function deliveryIn(who: Account, webhookId: string, id: string, status: string): Promise<Delivery> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = (await deliveries(who, webhookId)).find((d) => d.id === id);
      if (found?.status === status) return found;
      if (Date.now() > deadline) throw new Error(`delivery ${id}: ${JSON.stringify(found)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('delivers a signed Standard Webhooks request; the secret is shown once', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    const hook = await register(manager, r.url);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await t.http().get('/v1/webhooks').set(manager.auth).expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(hook.secret);
    expect(JSON.stringify((await t.http().get(`/v1/webhooks/${hook.id}`).set(manager.auth)).body)).not.toContain(
      hook.secret,
    );

    const { eventId, customerId } = await reservation(manager);
    await r.until((got) => got.length === 1);
    const [request] = r.received;
    expect(request.headers['webhook-id']).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(request.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(request.headers['content-type']).toBe('application/json');
    expect(verifyStandardWebhook(hook.secret, request)).toBe(true);
    expect(verifyStandardWebhook(hook.secret, { ...request, body: request.body.replace('seat', 'Seat') })).toBe(false);
    expect(bodyOf(request)).toMatchObject({ type: 'seat.reserved', data: { eventId, userId: customerId } });
    expect(Date.parse(bodyOf(request).timestamp)).toBe(t.clock.now());
    const [delivery] = await deliveries(manager, hook.id);
    expect(delivery).toMatchObject({ id: request.id, type: 'seat.reserved', status: 'succeeded', attempts: 1 });
  });

  it('a registration retried with its Idempotency-Key answers the same endpoint and secret, and makes no second', async () => {
    const manager = await t.register('manager');
    const send = () =>
      t
        .http()
        .post('/v1/webhooks')
        .set(manager.auth)
        .set('Idempotency-Key', 'register-once')
        .send({ url: 'https://93.184.215.14/hook', events: ['seat.reserved'] });
    const [first, again] = [await send(), await send()];
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await t.http().get('/v1/webhooks').set(manager.auth)).body.items).toHaveLength(1);
  });

  it('retries after a 500 and after a timeout with the same webhook-id, then succeeds', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    r.reply = (_, i) => (i === 0 ? { status: 500 } : i === 1 ? 'hang' : { status: 204 });
    const hook = await register(manager, r.url);

    await reservation(manager);
    await r.until((got) => got.length === 3);
    expect(new Set(r.received.map((x) => x.id)).size).toBe(1);
    expect(r.received.every((x) => verifyStandardWebhook(hook.secret, x))).toBe(true);
    const done = await deliveryIn(manager, hook.id, r.received[0].id, 'succeeded');
    expect(done).toMatchObject({ attempts: 3, lastStatusCode: 204 });
  });

  it('does not retry a 400: the delivery fails at once; redelivery sends it again with the same id', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    r.reply = (_, i) => (i === 0 ? { status: 400 } : { status: 200 });
    const hook = await register(manager, r.url);

    await reservation(manager);
    await r.until((got) => got.length === 1);
    const failed = await deliveryIn(manager, hook.id, r.received[0].id, 'failed');
    expect(failed).toMatchObject({ attempts: 1, lastStatusCode: 400 });

    await t.http().post(`/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`).set(manager.auth).expect(202);
    await r.until((got) => got.length === 2);
    expect(r.received[1].id).toBe(failed.id);
    expect(r.received[1].body).toBe(r.received[0].body);
    expect(await deliveryIn(manager, hook.id, failed.id, 'succeeded')).toMatchObject({ attempts: 2, redeliveries: 1 });
    expect(r.received).toHaveLength(2);
    expectProblem(
      await t
        .http()
        .post(`/v1/webhooks/${hook.id}/deliveries/evt_${'0'.repeat(32)}/redeliver`)
        .set(manager.auth),
      404,
      'NOT_FOUND',
    );
  });

  it('waits as long as a 429 or 503 asks in Retry-After before trying again', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    r.reply = () => ({ status: 429, headers: { 'retry-after': '3600' } });
    const hook = await register(manager, r.url);

    await reservation(manager);
    await r.until((got) => got.length === 1);
    await deliveryIn(manager, hook.id, r.received[0].id, 'retrying');
    const jobs = new Queue(deliveryQueueName('webhooks'), {
      connection: bullConnection(t.config).connection,
      prefix: t.config.redisKeyPrefix + keys.jobs(),
    });
    try {
      const job = await jobs.getJob(`webhooks.${hook.id}.${r.received[0].id}`);
      await eventually(async () => expect(await job!.getState()).toBe('delayed'), 5000);
      const delayed = await jobs.getJob(job!.id!);
      // The receiver's hour, not the backoff's 20 ms start (OUTBOX_RETRY_MAX_DELAY_MS caps backoff, not Retry-After).
      expect(delayed!.delay).toBe(3_600_000);
    } finally {
      await jobs.close();
    }
    expect(r.received).toHaveLength(1);
  });

  it('signs with the old and the new secret during the grace after a rotation', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    const hook = await register(manager, r.url);
    const rotated = await t.http().post(`/v1/webhooks/${hook.id}/rotate-secret`).set(manager.auth).expect(200);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.body.previousSecretValidUntil)).toBe(t.clock.now() + t.config.webhookSecretGraceMs);

    await reservation(manager);
    await r.until((got) => got.length === 1);
    const [request] = r.received;
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyStandardWebhook(rotated.body.secret, request)).toBe(true);
    expect(verifyStandardWebhook(hook.secret, request)).toBe(true);

    t.clock.advance(t.config.webhookSecretGraceMs + 1);
    await reservation(manager);
    await r.until((got) => got.length === 2);
    expect(verifyStandardWebhook(rotated.body.secret, r.received[1])).toBe(true);
    expect(verifyStandardWebhook(hook.secret, r.received[1])).toBe(false);
  });

  it('a manager gets only the events of their own events; an admin gets every event', async () => {
    const [alice, bob] = [await t.register('manager'), await t.register('manager')];
    const [toAlice, toAdmin] = [await receiver(), await receiver()];
    await register(alice, toAlice.url);
    await register(admin, toAdmin.url, ['seat.reserved', 'booking.created']);
    expectProblem(
      await t
        .http()
        .post('/v1/webhooks')
        .set(alice.auth)
        .send({ url: toAlice.url, events: ['booking.created'] }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t
        .http()
        .post('/v1/webhooks')
        .set(alice.auth)
        .send({ url: toAlice.url, events: ['no.such'] }),
      400,
      'VALIDATION_FAILED',
    );

    const ofBob = await reservation(bob);
    const ofAlice = await reservation(alice);
    await toAdmin.until((got) => got.length === 2);
    await toAlice.until((got) => got.length === 1);
    expect(bodyOf(toAlice.received[0]).data.eventId).toBe(ofAlice.eventId);
    expect(new Set(toAdmin.received.map((x) => bodyOf(x).data.eventId))).toEqual(
      new Set([ofAlice.eventId, ofBob.eventId]),
    );
    // Bob's event reached the admin after (or with) Alice's: had it been meant for Alice it would be there by now.
    expect(toAlice.received).toHaveLength(1);
  });

  it('disables an endpoint that failed for WEBHOOK_DISABLE_AFTER_MS and tells its owner in the inbox', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    r.reply = () => ({ status: 503 });
    const hook = await register(manager, r.url);

    await reservation(manager);
    await r.until((got) => got.length >= 1);
    t.clock.advance(t.config.webhookDisableAfterMs);
    const disabled = await (async () => {
      for (;;) {
        const res = await t.http().get(`/v1/webhooks/${hook.id}`).set(manager.auth).expect(200);
        if (!res.body.enabled) return res.body;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const inbox = await t.http().get('/v1/notifications').set(manager.auth).expect(200);
    expect(inbox.body.items.filter((n: { type: string }) => n.type === 'webhook.disabled')).toHaveLength(1);
    expectProblem(
      await t.http().post(`/v1/webhooks/${hook.id}/deliveries/${r.received[0].id}/redeliver`).set(manager.auth),
      409,
      'WEBHOOK_DISABLED',
    );

    // Enabled again: a fresh start (no failure streak), and it receives again.
    r.reply = () => ({ status: 200 });
    const enabled = await t.http().patch(`/v1/webhooks/${hook.id}`).set(manager.auth).send({ enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    const before = r.received.length;
    await reservation(manager);
    await r.until((got) => got.length > before && got.slice(before).some((x) => x.id !== got[0].id));
  });

  it('200 parallel reservations: exactly 200 seat.reserved deliveries, each once', async () => {
    const manager = await t.register('manager');
    const r = await receiver();
    const hook = await register(manager, r.url);
    const event = await createEvent(t, manager, { numberOfSeats: 200 });
    const customers = event.seats.map((seat) => ({ seat, customer: t.bearer() }));
    await Promise.all(
      customers.map(({ seat, customer }) =>
        t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(customer.auth).expect(200),
      ),
    );

    const answers = await Promise.all(
      customers.map(({ seat, customer }) =>
        t.http().post(`/v1/events/${event.id}/seats/${seat.id}/reserve`).set(customer.auth),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(200);

    await r.until((got) => new Set(got.map((x) => x.id)).size === 200, 60_000);
    expect(r.received).toHaveLength(200);
    expect(r.received.every((x) => verifyStandardWebhook(hook.secret, x))).toBe(true);
    const seats = r.received.map((x) => (bodyOf(x).data.seatIds as string[])[0]).sort();
    expect(seats).toEqual(event.seats.map((s) => s.id).sort());
    expect(await t.redis.exists(keys.eventOutbox(event.id))).toBe(0);
  }, 90_000);
});
