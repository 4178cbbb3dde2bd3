import { OutboxConsumers } from '../../src/outbox/outbox-consumer.js';
import { OutboxDeliveries } from '../../src/outbox/outbox-deliveries.js';
import { keys } from '../../src/redis/keys.js';
import { TestApp } from '../support/test-app.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { CountingConsumer, deliveriesDrained } from '../support/outbox.js';

/**
 * Review finding A: the relay made jobs only for the consumers of its own process, so a process without SMTP_URL
 * relayed and dropped mail. Here the relaying process does not run the consumer; the other process runs it (its
 * delivery worker, no relay) and announces it; every event still reaches it once.
 */
describe('outbox consumers another process runs', () => {
  let relaying: TestApp;
  let delivering: TestApp;
  /** A consumer only one process runs (as mail runs only where SMTP_URL is set): counts each event it is given. */
  const consumer = new CountingConsumer('only-here');

  beforeAll(async () => {
    relaying = await TestApp.start({ outboxRelay: true, outboxPollIntervalMs: 20, maxHoldsPerUser: 10 });
    delivering = await TestApp.start({ redisKeyPrefix: relaying.config.redisKeyPrefix, outboxRelay: false });
    delivering.app.get(OutboxConsumers).register(consumer);
    await delivering.app.get(OutboxDeliveries).start();
  });
  afterAll(async () => {
    await delivering.close();
    await relaying.close();
  });

  it('the relay hands over for a consumer only another process runs; each event is delivered there once', async () => {
    expect(await relaying.app.get(OutboxDeliveries).announced()).toContain('only-here');
    const manager = await relaying.register('manager');
    const event = await createEvent(relaying, manager, { numberOfSeats: 20 });
    const users = event.seats.map((seat) => ({ seat, user: relaying.bearer() }));
    await Promise.all(
      users.map(({ seat, user }) =>
        relaying.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(user.auth).expect(200),
      ),
    );
    await Promise.all(
      users.map(({ seat, user }) =>
        relaying.http().post(`/v1/events/${event.id}/seats/${seat.id}/reserve`).set(user.auth).expect(201),
      ),
    );
    await eventually(async () => expect(consumer.seen.size).toBe(20), 15_000);
    // Relayed and trimmed: a late second hand-over would have nothing left to hand over, and jobs dedupe by id.
    await eventually(async () => expect(await relaying.redis.exists(keys.eventOutbox(event.id))).toBe(0), 5000);
    await deliveriesDrained(relaying.config, 'only-here');
    expect([...consumer.seen.values()].every((n) => n === 1)).toBe(true);
  });
});
