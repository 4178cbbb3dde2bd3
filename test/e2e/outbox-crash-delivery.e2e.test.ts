import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { deliveriesDrained } from '../support/outbox.js';
import { reserveWithWebhook, startOutboxService } from '../support/outbox-service.js';
import { killService } from '../support/service.js';
import { testConfig, testRedisUrl } from '../support/test-app.js';
import { WebhookReceiver, verifyStandardWebhook } from '../support/webhook-receiver.js';

/**
 * Review finding 12: a crash in the middle of a delivery. The service, a real process relaying its own outbox, is
 * killed (SIGKILL) while the receiver holds the request open; the job it held stalls, and the next process runs it
 * again: the receiver gets the event a second time under the same webhook-id (at least once; it deduplicates).
 */
describe('outbox: a process killed mid-delivery', () => {
  const admin = { email: `admin-${randomUUID().slice(0, 8)}@outbox.test`, password: 'outbox crash password' };
  const prefix = `outbox-crash-delivery:${randomUUID().slice(0, 8)}:`;
  const services: ChildProcess[] = [];
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    builtMain();
    receiver = await WebhookReceiver.start();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(services.map(killService));
    await receiver.close();
  });

  const start = () => startOutboxService(services, prefix, admin);

  it('the event is delivered again with the same webhook-id by the next process, then no more', async () => {
    receiver.reply = (_, index) => (index === 0 ? 'hang' : { status: 200 });
    const first = await start();
    const { auth, hook } = await reserveWithWebhook(first, admin, receiver.url);
    // The request is in the receiver's hands, unanswered: the process dies mid-delivery.
    await receiver.until((got) => got.length === 1, 30_000);
    await killService(first.process);

    const second = await start();
    // BullMQ finds the dead worker's job stalled once its lock lapses (about 30 s) and runs it again.
    await receiver.until((got) => got.length === 2, 100_000);
    const [lost, again] = receiver.received;
    expect(again.id).toBe(lost.id);
    expect(again.body).toBe(lost.body);
    expect(verifyStandardWebhook(hook.body.secret, again)).toBe(true);
    await eventually(async () => {
      const list = await second.http().get(`/v1/webhooks/${hook.body.id}/deliveries`).set(auth).expect(200);
      expect(list.body.items).toMatchObject([{ id: lost.id, status: 'succeeded' }]);
    }, 30_000);
    await deliveriesDrained(testConfig({ redisUrl: testRedisUrl(), redisKeyPrefix: prefix }), 'webhooks');
    expect(receiver.received).toHaveLength(2);
  }, 240_000);
});
