import { OutboxConsumers } from '../../src/outbox/outbox-consumer.js';
import { OutboxDeliveries } from '../../src/outbox/outbox-deliveries.js';
import { OutboxRelay } from '../../src/outbox/outbox-relay.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { CountingConsumer, deliveriesDrained, outboxOf } from '../support/outbox.js';
import { TestApp } from '../support/test-app.js';

/**
 * Review finding 12: a relay that dies between handing entries over (addBulk) and trimming them. The next pass hands
 * the same entries over again; the job ids make that a no-op, so each event is delivered once.
 */
describe('outbox: a relay killed between hand-over and trim', () => {
  let t: TestApp;
  const consumer = new CountingConsumer('handover-counting');

  beforeAll(async () => {
    t = await TestApp.start({ outboxRelay: false });
    t.app.get(OutboxConsumers).register(consumer);
    await t.app.get(OutboxDeliveries).start();
  });
  afterAll(() => t.close());

  it('the entries handed over but not trimmed are handed over again by the next pass and delivered once', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager);
    for (const seat of event.seats.slice(0, 3)) {
      const user = t.bearer();
      await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(user.auth).expect(200);
      await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/reserve`).set(user.auth).expect(201);
    }
    const stream = keys.eventOutbox(event.id);
    const entries = await outboxOf(t.redis, stream);
    expect(entries).toHaveLength(3);
    // What the dead relay did: the jobs are in BullMQ, the entries still in the stream.
    await t.app.get(OutboxDeliveries).handOver(entries.map((e) => ({ consumer: consumer.name, target: '', event: e })));
    await eventually(async () => expect(consumer.seen.size).toBe(3), 15_000);

    expect(await t.app.get(OutboxRelay).relay(stream)).toBe(3);
    expect(await t.redis.exists(stream)).toBe(0);
    await deliveriesDrained(t.config, consumer.name);
    expect([...consumer.seen.values()]).toEqual([1, 1, 1]);
  });
});
